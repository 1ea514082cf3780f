# fails: workers-run-as-app
# Wrong fix: the directory is given back to app as it should be, but the API is left
# running as root from an earlier attempt. Uploads work and the folder looks right; the
# app still runs with every privilege on the box.
set -euo pipefail
source "$(dirname "$0")/as-root.sh"
firedrill_api_as_root
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'chown app:app /var/app/tmp && chmod 750 /var/app/tmp'
status=$(firedrill_upload)
echo "upload with the API as root: $status"
[ "$status" = 201 ]
firedrill_expect_root_workers
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'test "$(stat -c %U:%a /var/app/tmp)" = app:750'
