# Sourced by solution scripts that change the API's code or gunicorn's settings (billing's).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Replaces the first occurrence of $1 with $2 in the API's code (backend/app/app.py of the
# workspace), as an editor would; fails when $1 is not there.
edit_app() {
  python3 - "$FIREDRILL_WORKSPACE/backend/app/app.py" "$1" "$2" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path, encoding="utf-8").read()
assert old in text, f"not in {path}: {old!r}"
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
}

# Restarts the app (gunicorn under supervisor) and waits, as a person would, until a path of the
# API answers 200 again. Fails when gunicorn was not replaced or never answers, so a script
# cannot claim a restart that did not happen.
restart_app() {
  local before answered=0
  before=$(on backend supervisorctl pid billing)
  on backend supervisorctl restart billing
  wait_for_status 200 "$FIREDRILL_URL_API$1" || answered=1
  echo "$1 after the restart: $status"
  [ "$answered" = 0 ] && [ "$(on backend supervisorctl pid billing)" != "$before" ]
}
