# fails: serves-steadily, reads-a-page, holds-under-load
# Wrong fix: restart the app. Memory drops at once, and the very next requests take it back
# up, because the code that keeps a block per request is unchanged.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
restart_app /api/health
