# fails: api-answers
# Partial fix: the configuration is corrected on disk, and supervisord is even told to
# reread it, but the change is never applied: the API stays down until the next reboot.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sed -i 's/^autostart=false.*/autostart=true/' /etc/supervisor/conf.d/billing.conf
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl reread
# The edit landed: the file on disk says autostart=true.
firedrill shell backend --run "$FIREDRILL_RUN" -- grep -q '^autostart=true$' /etc/supervisor/conf.d/billing.conf
