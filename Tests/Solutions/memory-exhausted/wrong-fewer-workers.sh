# Wrong fix: one gunicorn worker instead of two, "to halve the memory". The one worker keeps
# a block for every request just the same, and gets killed in turn.
set -euo pipefail
sed -i 's/^workers = 2$/workers = 1/' "$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py"
grep -q '^workers = 1$' "$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py"
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health with one worker: $status"
