# Shared by forced-restart's fix and wrong fixes. Sourced, not run: prove runs fix.sh and wrong-*.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# The supervisord program that should serve the API: the one it reports stopped, as a person
# reads `supervisorctl status` (which exits 3 when a program is not running).
stopped_program() {
  local programs
  programs=$(on backend supervisorctl status || true)
  awk '$2 == "STOPPED" { print $1; exit }' <<<"$programs"
}

# Reloads the API's health until it answers 200 (gunicorn takes a moment to bind its port),
# as a person would; fails when it never does.
wait_for_api() {
  local healthy=0
  EVERY=0.5 wait_for_status 200 "$FIREDRILL_URL_API/api/health" || healthy=1
  echo "health: $status"
  return $healthy
}
