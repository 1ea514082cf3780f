# fails: serves-steadily, reads-a-page, holds-under-load
# Wrong fix: have gunicorn replace each worker after 50 requests (max_requests), so that no
# worker lives long enough to reach the limit. It is restarting on a schedule: the leak stays,
# and workers are replaced while they serve.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
conf="$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py"
printf '\n# Recycle workers before they grow too big.\nmax_requests = 50\nmax_requests_jitter = 10\n' >> "$conf"
grep -q "^max_requests = 50$" "$conf"
restart_app /api/health
