# Reference fix: turn the program's start at boot back on, have supervisord apply its
# configuration (which starts the program, now that it should run), and wait for the API.
set -euo pipefail
source "$(dirname "$0")/api.sh"
firedrill shell backend --run "$FIREDRILL_RUN" -- sed -i 's/^autostart=false.*/autostart=true/' /etc/supervisor/conf.d/billing.conf
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl update
wait_for_api
