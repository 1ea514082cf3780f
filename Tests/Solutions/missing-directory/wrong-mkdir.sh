# fails: upload-survives-cleanup, code-makes-its-folder
# Partial fix: the missing folder is made by hand, as the app's user. Uploads work until
# the folder goes away again (the next period, a new server, the archive job).
set -euo pipefail
source "$(dirname "$0")/folder.sh"
folder=$(firedrill_missing_folder)
firedrill shell backend --run "$FIREDRILL_RUN" -- su -s /bin/sh app -c "mkdir -p '$folder'"
firedrill shell backend --run "$FIREDRILL_RUN" -- test -d "$folder"
