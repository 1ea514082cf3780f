# fails: path-works, good-release-serving, next-deploy-keeps-it
# Wrong fix: restart the API, as if the 500s were a bad state of the process. The same
# release comes back with the same bug.
set -euo pipefail
source "$(dirname "$0")/request.sh"
before=$(api supervisorctl pid api)
api supervisorctl restart api
sleep 2
[ "$(api supervisorctl pid api)" != "$before" ]
echo "$FIREDRILL_PARAM_BROKEN_PATH answers $(broken_path_status) after the restart"
