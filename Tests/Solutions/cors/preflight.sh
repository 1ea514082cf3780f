# Sourced by the wrong fixes that let every origin in: replays a preflight from a made-up origin
# until the changed server lets it in (bounded), and fails if it never does.
foreign_preflight_allowed() {
  for _ in $(seq 1 40); do
    status=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS -H 'Origin: http://example.invalid' \
      -H 'Access-Control-Request-Method: POST' "$FIREDRILL_URL_API/api/users" || true)
    [ "$status" = 204 ] && break
    sleep 0.25
  done
  echo "preflight from another origin after the change: $status"
  [ "$status" = 204 ]
}
