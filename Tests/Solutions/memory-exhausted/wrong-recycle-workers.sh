# Wrong fix: have gunicorn replace each worker after 50 requests (max_requests), so that no
# worker lives long enough to reach the limit. It is restarting on a schedule: the leak stays,
# and workers are replaced while they serve.
set -euo pipefail
conf="$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py"
printf '\n# Recycle workers before they grow too big.\nmax_requests = 50\nmax_requests_jitter = 10\n' >> "$conf"
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health with recycled workers: $status"
