# Reference fix, in the code: "today" is the database's date (CURDATE()), the same clock
# that writes created_at (NOW()), so the two always agree whatever zones the instances run
# in. Then the app is restarted so gunicorn loads the code.
set -euo pipefail
source "$(dirname "$0")/../restart-app.sh"
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
python3 - "$app" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old = "    today = date.today()\n"
new = ("    # The database writes created_at with its own clock (NOW()): ask it for its date.\n"
       "    today = query(\"SELECT CURDATE() AS today\")[0][\"today\"]\n")
assert old in text, "date.today() not found in users_today"
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
restart_app /api/users/today
