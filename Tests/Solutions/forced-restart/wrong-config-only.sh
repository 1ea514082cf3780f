# Partial fix: the configuration is corrected on disk, and supervisord is even told to
# reread it, but the change is never applied: the API stays down until the next reboot.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sed -i 's/^autostart=false.*/autostart=true/' /etc/supervisor/conf.d/billing.conf
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl reread
