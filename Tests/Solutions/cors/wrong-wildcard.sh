# fails: other-origins-refused
# Wrong fix: trust every origin. The web app works again, but so would any page on the
# internet that a logged-in user happens to open: it could read the API's answers.
set -euo pipefail
shell() { firedrill shell backend --run "$FIREDRILL_RUN" -- "$@"; }
shell vi -es -c '%s/^ALLOWED_ORIGINS=.*/ALLOWED_ORIGINS=*/' -c wq /etc/billing/billing.env
shell grep -qx 'ALLOWED_ORIGINS=\*' /etc/billing/billing.env
shell supervisorctl restart billing
# Replay a preflight from a made-up origin until the restarted app lets it in (bounded).
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS -H 'Origin: http://example.invalid' \
    -H 'Access-Control-Request-Method: POST' "$FIREDRILL_URL_API/api/users" || true)
  [ "$status" = 204 ] && break
  sleep 0.25
done
echo "preflight from another origin after the change: $status"
[ "$status" = 204 ]
