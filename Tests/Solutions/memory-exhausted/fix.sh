# Reference fix: old generations of the list cache were meant to go after five seconds,
# but the age in seconds was compared with a limit in milliseconds, so none ever went.
# Fix the comparison in the deployed code, restart the app, wait until it answers.
set -euo pipefail
file="$FIREDRILL_WORKSPACE/backend/app/listcache.py"
grep -q 'if now - loaded_at > KEEP_MS:' "$file"
sed -i 's/if now - loaded_at > KEEP_MS:/if (now - loaded_at) * 1000 > KEEP_MS:/' "$file"
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "health after the fix: $status"
# The cache fills up during its first seconds: watch the instance's memory until it stops
# growing, as one would before calling it fixed.
usage() {
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    'cat /sys/fs/cgroup/memory.current 2>/dev/null || cat /sys/fs/cgroup/memory/memory.usage_in_bytes'
}
previous=$(usage)
for _ in $(seq 1 20); do
  sleep 3
  current=$(usage)
  growth=$((current - previous))
  echo "memory $((current / 1048576)) MB, $((growth / 1024)) KB more than 3 s ago"
  [ "$growth" -lt 1048576 ] && break
  previous=$current
done
