# fails: job-stays-stopped
# Partial fix: the job and its compressors are killed. The app is quick again, until cron
# starts the job again at the next minute.
set -euo pipefail
# Kill early in a minute, so that the checks right after see the job gone; cron's next
# start is then for the minute's watch to see.
until [ "$(date +%-S)" -ge 2 ] && [ "$(date +%-S)" -le 12 ]; do sleep 1; done
firedrill shell backend --run "$FIREDRILL_RUN" -- pkill -x billing-backup
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'pkill -x gzip || true'
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c '! pgrep -x billing-backup'
