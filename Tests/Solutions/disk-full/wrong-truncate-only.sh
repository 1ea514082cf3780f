# fails: debug-off
# Partial fix: the log is emptied in place, which does give the space back and uploads
# work again. But debug logging is still on, so every request keeps writing to it and
# the partition fills up again.
set -euo pipefail
source "$(dirname "$0")/log.sh"
log=$(firedrill_full_log)
firedrill shell backend --run "$FIREDRILL_RUN" -- truncate -c -s 0 "$log"
firedrill shell backend --run "$FIREDRILL_RUN" -- df -h /var
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c "test \"\$(stat -c %s '$log')\" -lt 1048576"
