# Reference fix: switch the job's schedule off (it cannot ship anything until the offsite
# store answers, and every minute was only meant for testing), then stop the run that is
# going: the script first, so that it does not start its compressors again, then them.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sed -i \
  's|^[^#].*/billing-backup .*|# off until the offsite store works again: &|' /etc/cron.d/billing-backup
firedrill shell backend --run "$FIREDRILL_RUN" -- grep -n billing-backup /etc/cron.d/billing-backup
firedrill shell backend --run "$FIREDRILL_RUN" -- pkill -x billing-backup
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'pkill -x gzip || true'
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'ps -eo pid,pcpu,args --sort=-pcpu | head -n 5'
