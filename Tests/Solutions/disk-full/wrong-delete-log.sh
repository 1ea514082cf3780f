# fails: space-free, upload-works, debug-off, stays-free
# Wrong fix: the huge log is deleted while the app still has it open. The name goes away,
# the space does not: df stays at 100% and uploads keep failing.
set -euo pipefail
source "$(dirname "$0")/log.sh"
log=$(firedrill_full_log)
firedrill shell backend --run "$FIREDRILL_RUN" -- rm -f "$log"
firedrill shell backend --run "$FIREDRILL_RUN" -- df -h /var
firedrill shell backend --run "$FIREDRILL_RUN" -- test ! -e "$log"
