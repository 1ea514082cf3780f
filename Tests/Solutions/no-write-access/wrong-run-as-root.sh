# fails: writable-by-app-only, workers-run-as-app
# Wrong fix: run the API as root, so that it may write anywhere. Uploads work; the directory
# stays root's, and a bug in the app is now a bug running as root.
set -euo pipefail
source "$(dirname "$0")/as-root.sh"
firedrill_api_as_root
status=$(firedrill_upload)
echo "upload with the API as root: $status"
[ "$status" = 201 ]
firedrill_expect_root_workers
