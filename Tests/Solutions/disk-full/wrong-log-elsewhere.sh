# fails: debug-off
# Wrong fix: the full log is removed and gunicorn's error log moved off the small
# partition, to /tmp. /var stays free, but the API still runs at DEBUG: the lines now fill
# the root filesystem instead.
set -euo pipefail
source "$(dirname "$0")/log.sh"
firedrill_move_log /tmp/billing-error.log
