# fails: upload-survives-cleanup, code-makes-its-folder
# Partial fix: the missing folder is made by hand, owned by the app's user. Uploads work
# until the folder goes away again (next month, a new server, the archive job).
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
  'install -d -o app -g app /var/app/tmp/attachments "/var/app/tmp/attachments/$(date +%Y-%m)"'
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'test -d "/var/app/tmp/attachments/$(date +%Y-%m)"'
