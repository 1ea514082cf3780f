# Reference fix: empty the runaway log in place (the app keeps it open, so deleting it
# would free nothing), turn debug logging off where the app reads it, and restart the
# app so that it reads its settings again.
set -euo pipefail
source "$(dirname "$0")/log.sh"
firedrill shell backend --run "$FIREDRILL_RUN" -- truncate -c -s 0 "$(firedrill_full_log)"
# billing.env is a single bind-mounted file: edit it in place (an editor would), never
# replace it with a new file (sed -i), or the instance keeps seeing the old one.
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
  "sed 's/^LOG_LEVEL=DEBUG/LOG_LEVEL=INFO/' /etc/billing/billing.env > /tmp/billing.env && cat /tmp/billing.env > /etc/billing/billing.env && rm /tmp/billing.env"
restart_app /api/health
firedrill shell backend --run "$FIREDRILL_RUN" -- df -h /var
