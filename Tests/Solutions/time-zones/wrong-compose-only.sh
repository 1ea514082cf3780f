# fails: new-user-listed, only-today, fix-survives-restarts
# Partial fix: both instances get the same zone in compose.yaml, and nothing else. The
# compose file is only read when a container is created: the running instances, and any
# restart of them, keep the zones they were created with.
set -euo pipefail
compose="$FIREDRILL_WORKSPACE/compose.yaml"
sed -i 's#^\( *TZ:\) .*#\1 Etc/UTC#' "$compose"
[ "$(grep -c '^ *TZ: Etc/UTC$' "$compose")" = 2 ]
