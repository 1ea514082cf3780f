# fails: api-fast, job-stopped, job-stays-stopped
# Partial fix: the schedule is switched off, but the run already going is left to finish,
# and this one never finishes: it starts over after every failed upload.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sed -i 's|^[^#].*/billing-backup .*|# &|' /etc/cron.d/billing-backup
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
  '! grep -q "^[^#].*/billing-backup" /etc/cron.d/billing-backup && pgrep -x billing-backup'
