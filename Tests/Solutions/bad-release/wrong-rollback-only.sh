# fails: next-deploy-keeps-it
# Wrong fix: roll back and stop there. The shop works until the release train deploys the
# newest release again, which is still the bad one.
set -euo pipefail
source "$(dirname "$0")/request.sh"
api deploy rollback
wait_for_path
api sh -c "basename \"\$(readlink -f /srv/shop/current)\" | grep -vx '$FIREDRILL_PARAM_RELEASE_BAD'"
