# fails: debug-off
# Wrong fix: the full log is removed and gunicorn's error log pointed at /dev/null. The
# space comes back and stays free, but the API still runs at DEBUG, now writing every
# query to nowhere (and every traceback with it).
set -euo pipefail
source "$(dirname "$0")/log.sh"
firedrill_move_log /dev/null
