# fails: only-today
# Wrong fix: widen the filter to "the last 24 hours" of the database's clock, so that the
# zones no longer matter. The new user is listed, with everyone who signed up since this
# time yesterday: the list is not the day's any more.
set -euo pipefail
source "$(dirname "$0")/../restart-app.sh"
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
python3 - "$app" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old = ('        " WHERE DATE(created_at) = %s ORDER BY created_at DESC, id DESC",\n'
       '        (today.isoformat(),))\n')
new = ('        " WHERE created_at >= NOW() - INTERVAL 1 DAY ORDER BY created_at DESC, id DESC")\n')
assert old in text, "the users_today query not found"
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
grep -q 'WHERE created_at >= NOW() - INTERVAL 1 DAY' "$app"
restart_app /api/users/today
