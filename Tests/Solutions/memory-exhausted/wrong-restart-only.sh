# Wrong fix: restart the app. Memory drops at once, and the very next requests take it back
# up, because the code that keeps a block per request is unchanged.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health after the restart: $status"
