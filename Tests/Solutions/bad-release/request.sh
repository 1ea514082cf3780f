# Shared by this level's scripts: the request of the path the bad release breaks, as a customer
# sends it through the API's origin.

# Prints the status the broken path answers now.
broken_path_status() {
  curl -s -o /dev/null -w '%{http_code}' -X "$FIREDRILL_PARAM_BROKEN_METHOD" -H 'Content-Type: application/json' \
    -d "{\"customer\": $FIREDRILL_PARAM_CUSTOMER, \"items\": [{\"product\": 12, \"qty\": 1}], \"discount\": \"$FIREDRILL_PARAM_CODE\"}" \
    "$FIREDRILL_URL_API$FIREDRILL_PARAM_BROKEN_PATH?customer=$FIREDRILL_PARAM_CUSTOMER" || true
}

# Tries the broken path until it answers a 2xx (at most 10 s), as a person would after a
# deploy; prints the last status and fails when it never did.
wait_for_path() {
  local status=
  for _ in $(seq 1 40); do
    status=$(broken_path_status)
    case "$status" in 2??) break ;; esac
    sleep 0.25
  done
  echo "$FIREDRILL_PARAM_BROKEN_PATH answers $status"
  case "$status" in 2??) ;; *) return 1 ;; esac
}

api() { firedrill shell api --run "$FIREDRILL_RUN" -- "$@"; }
