# Sourced by the wrong fixes that let every origin in: replays a preflight from a made-up origin
# until the changed server lets it in (bounded), and fails if it never does.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
foreign_preflight_allowed() {
  local allowed=0
  wait_for_status 204 -X OPTIONS -H 'Origin: http://example.invalid' \
    -H 'Access-Control-Request-Method: POST' "$FIREDRILL_URL_API/api/users" || allowed=1
  echo "preflight from another origin after the change: $status"
  return $allowed
}
