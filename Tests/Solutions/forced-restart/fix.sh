# Reference fix: turn the program's start at boot back on, have supervisord apply its
# configuration (which starts the program, now that it should run), and wait for the API.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sed -i 's/^autostart=false.*/autostart=true/' /etc/supervisor/conf.d/billing.conf
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl update
# gunicorn takes a moment to bind its port: retry the health check the way a person would.
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health after the fix: $status"
