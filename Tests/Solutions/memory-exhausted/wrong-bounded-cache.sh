# fails: reads-a-page
# Wrong fix: bound the cache (maxsize=16) and leave its key alone. Memory levels off, but the
# key still holds the request's connection: the cache never hits, and every list request
# reads a hundred pages from the database to show one, slower than before the release.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
file="$FIREDRILL_WORKSPACE/backend/app/listcache.py"
sed -i 's/^@functools.lru_cache(maxsize=None)$/@functools.lru_cache(maxsize=16)/' "$file"
grep -q '^@functools.lru_cache(maxsize=16)$' "$file"
restart_app /api/health
# Page through the list as a person checking the fix would, until both workers' caches are
# full: from then on memory stays level.
for page in $(seq 1 64); do
  curl -s -o /dev/null "$FIREDRILL_URL_API/api/invoices?page=$page"
done
firedrill shell backend --run "$FIREDRILL_RUN" -- ps -o pid,rss,etime,args -u app
