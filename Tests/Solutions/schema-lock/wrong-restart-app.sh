# Wrong fix: "the app hangs, restart it". The new workers send their queries to the same
# database, where they queue behind the waiting ALTER like the old ones did.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
sleep 3
