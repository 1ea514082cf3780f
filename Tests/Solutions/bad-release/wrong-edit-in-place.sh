# fails: good-release-serving, next-deploy-keeps-it
# Wrong fix: undo the bad change in the serving release's code by hand and restart the API.
# The path works, but the release no longer matches what was shipped (its checksums), and it
# is still the release the next deploy picks.
set -euo pipefail
source "$(dirname "$0")/request.sh"
code="$FIREDRILL_WORKSPACE/api/releases/$FIREDRILL_PARAM_RELEASE_BAD/server.js"
python3 - "$code" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
fixed = text.replace("discount.rules.percent_off", "discount.percent_off").replace(
    "  if (rows.length > 20) rows.pages = pageCount(rows.length);\n", "")
assert fixed != text, "the bad change is not in " + path
open(path, "w", encoding="utf-8").write(fixed)
PY
api supervisorctl restart api
wait_for_path
