# fails: code-makes-its-folder
# Wrong fix: a loop on the backend makes this month's folder again whenever it is gone.
# Uploads work here, for now; the app still cannot store one anywhere its folder is
# missing (a new server, next month, the loop stopped).
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
  'setsid nohup sh -c '\''while :; do install -d -o app -g app /var/app/tmp/attachments "/var/app/tmp/attachments/$(date +%Y-%m)"; sleep 1; done'\'' >/dev/null 2>&1 &'
sleep 1.5
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
  'pgrep -f "while :; do install -d" >/dev/null && test -d "/var/app/tmp/attachments/$(date +%Y-%m)"'
