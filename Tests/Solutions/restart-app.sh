# Sourced by solution scripts that change the API's code or gunicorn's settings: restarts the
# app (gunicorn under supervisor) and waits, as a person would, until a path of the API answers
# 200 again. Fails when gunicorn was not replaced or never answers, so a script cannot claim a
# restart that did not happen.
restart_app() {
  local before status=
  before=$(firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl pid billing)
  firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
  for _ in $(seq 1 40); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API$1") || true
    [ "$status" = 200 ] && break
    sleep 0.25
  done
  echo "$1 after the restart: $status"
  [ "$status" = 200 ] && [ "$(firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl pid billing)" != "$before" ]
}
