# Reference fix: back to the release that served before, then the bad release blocked, so that
# neither the release train (`deploy latest`) nor a later rollback brings it back.
set -euo pipefail
source "$(dirname "$0")/request.sh"
api deploy rollback
api deploy block "$FIREDRILL_PARAM_RELEASE_BAD" "500 on $FIREDRILL_PARAM_BROKEN_PATH"
api deploy list
wait_for_path
