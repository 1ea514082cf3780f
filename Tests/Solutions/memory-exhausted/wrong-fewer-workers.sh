# fails: serves-steadily, reads-a-page, holds-under-load
# Wrong fix: one gunicorn worker instead of two, "to halve the memory". The one worker keeps
# a block for every request just the same, and gets killed in turn.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
sed -i 's/^workers = 2$/workers = 1/' "$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py"
grep -q '^workers = 1$' "$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py"
restart_app /api/health
