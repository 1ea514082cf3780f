# Reference fix: the API must trust the origin the web app is really served from. The
# compose file hands that origin to the backend as FRONTEND_ORIGIN, which is what the
# setting referred to before the rollout; put the reference back and restart the app,
# which reads its settings only at start.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
# billing.env is a single-file mount: edit it in place, as vi or nano do (sed -i cannot).
on backend vi -es -c '%s/^ALLOWED_ORIGINS=.*/ALLOWED_ORIGINS=${FRONTEND_ORIGIN}/' -c wq /etc/billing/billing.env
on backend grep '^ALLOWED_ORIGINS=' /etc/billing/billing.env
on backend supervisorctl restart billing
# Replay the page's preflight until the restarted app answers it (bounded).
for _ in $(seq 1 40); do
  status=$(on backend sh -c 'curl -s -o /dev/null -w "%{http_code}" -X OPTIONS -H "Origin: $FRONTEND_ORIGIN" -H "Access-Control-Request-Method: POST" http://proxy:8080/api/users' || true)
  [ "$status" = 204 ] && break
  sleep 0.25
done
echo "preflight from the web app's origin after the fix: $status"
