# fails: code-makes-its-folder
# Wrong fix: a loop on the backend makes the missing folder again whenever it is gone.
# Uploads work here, for now; the app still cannot store one anywhere its folder is
# missing (a new server, the next period, the loop stopped).
set -euo pipefail
source "$(dirname "$0")/folder.sh"
folder=$(firedrill_missing_folder)
firedrill shell backend --run "$FIREDRILL_RUN" -- su -s /bin/sh app -c \
  "setsid nohup sh -c 'while :; do mkdir -p \"$folder\"; sleep 1; done' >/dev/null 2>&1 &"
sleep 1.5
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
  "pgrep -u app -f 'while :; do mkdir -p' >/dev/null && test -d '$folder'"
