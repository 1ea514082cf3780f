# fails: sandbox
# Wrong fix: everything is wired, but the web app is published in compose's short form
# ("PORT:80"), which Docker binds on every interface of the machine (0.0.0.0), not on
# 127.0.0.1. The stack works, for anyone on the network too: the sandbox rules refuse it.
set -euo pipefail
source "$(dirname "$0")/wiring.sh"
cd "$FIREDRILL_WORKSPACE"
sed -i '/^    # port 80 inside the container; nothing is published yet\.$/a\
    ports:\
      - "${FD_APP_PORT}:80"' compose.yaml
grep -q '^      - "${FD_APP_PORT}:80"$' compose.yaml
publish_proxy
give_backend_the_db
keep_db_in_volume
point_proxy_at_backend
up_and_wait
