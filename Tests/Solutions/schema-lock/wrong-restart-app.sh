# fails: api-answers, blocker-ended, migration-settled
# Wrong fix: "the app hangs, restart it". The new workers send their queries to the same
# database, where they queue behind the waiting ALTER like the old ones did.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
sleep 3
# gunicorn started again a moment ago (supervisor counts its uptime)
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl status billing | grep -qE 'RUNNING .*uptime 0:00:[0-5][0-9]'
