# Reference fix, in the code: "today" is the database's date (CURDATE()), the same clock
# that writes created_at (NOW()), so the two always agree whatever zones the instances run
# in. Then the app is restarted so gunicorn loads the code.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
edit_app $'    today = date.today()\n' \
  $'    # The database writes created_at with its own clock (NOW()): ask it for its date.\n    today = query("SELECT CURDATE() AS today")[0]["today"]\n'
restart_app /api/users/today
