# fails: only-today
# Wrong fix: drop the date filter, "the list was empty, now everyone shows". The new user is
# listed, and so is everyone who ever signed up: marketing's evening report counts them all.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
edit_app $'        " WHERE DATE(created_at) = %s ORDER BY created_at DESC, id DESC",\n        (today.isoformat(),))\n' \
  $'        " ORDER BY created_at DESC, id DESC")\n'
grep -q '" ORDER BY created_at DESC, id DESC")$' "$FIREDRILL_WORKSPACE/backend/app/app.py"
restart_app /api/users/today
