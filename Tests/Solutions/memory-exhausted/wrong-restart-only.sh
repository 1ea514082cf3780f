# Wrong fix: restart the app. Memory drops at once, and climbs back to the limit within
# a minute, because the code that keeps it is unchanged.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health after the restart: $status"
