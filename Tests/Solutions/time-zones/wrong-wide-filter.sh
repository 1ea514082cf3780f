# fails: only-today
# Wrong fix: widen the filter to "the last 24 hours" of the database's clock, so that the
# zones no longer matter. The new user is listed, with everyone who signed up since this
# time yesterday: the list is not the day's any more.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
edit_app $'        " WHERE DATE(created_at) = %s ORDER BY created_at DESC, id DESC",\n        (today.isoformat(),))\n' \
  $'        " WHERE created_at >= NOW() - INTERVAL 1 DAY ORDER BY created_at DESC, id DESC")\n'
grep -q 'WHERE created_at >= NOW() - INTERVAL 1 DAY' "$FIREDRILL_WORKSPACE/backend/app/app.py"
restart_app /api/users/today
