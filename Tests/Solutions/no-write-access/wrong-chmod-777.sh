# fails: writable-by-app-only
# Wrong fix: let everyone write everywhere under the upload directory. Uploads work, and so
# would any other process or account on the box writing (or replacing) attachments there.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- chmod -R 777 /var/app/tmp
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'test "$(stat -c %a /var/app/tmp)" = 777'
