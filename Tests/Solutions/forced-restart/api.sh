# Shared by forced-restart's fix and wrong fixes. Sourced, not run: prove runs fix.sh and wrong-*.sh.

# The supervisord program that should serve the API: the one it reports stopped, as a person
# reads `supervisorctl status` (which exits 3 when a program is not running).
stopped_program() {
  local programs
  programs=$(firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl status || true)
  awk '$2 == "STOPPED" { print $1; exit }' <<<"$programs"
}

# Reloads the API's health until it answers 200 (gunicorn takes a moment to bind its port),
# as a person would; fails when it never does.
wait_for_api() {
  local status
  for _ in $(seq 1 40); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
    [ "$status" = 200 ] && break
    sleep 0.5
  done
  echo "health: $status"
  [ "$status" = 200 ]
}
