# fails: only-today
# Wrong fix: drop the date filter, "the list was empty, now everyone shows". The new user is
# listed, and so is everyone who ever signed up: marketing's evening report counts them all.
set -euo pipefail
source "$(dirname "$0")/../restart-app.sh"
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
python3 - "$app" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old = ('        "SELECT id, name, email, created_at FROM users"\n'
       '        " WHERE DATE(created_at) = %s ORDER BY created_at DESC, id DESC",\n'
       '        (today.isoformat(),))\n')
new = ('        "SELECT id, name, email, created_at FROM users"\n'
       '        " ORDER BY created_at DESC, id DESC")\n')
assert old in text, "the users_today query not found"
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
grep -q '" ORDER BY created_at DESC, id DESC")$' "$app"
restart_app /api/users/today
