# fails: back-after-reboot
# Partial fix: the API is started by hand, as it was the day before. It answers now, and
# is gone again as soon as the instance restarts.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl start billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health after the manual start: $status"
[ "$status" = 200 ]
