# fails: blocker-ended
# Partial fix: the waiting ALTER is killed. The queries queued behind it return and the
# app answers, but the idle transaction that caused it all is still open, and the next
# deploy's migration will freeze the app again.
set -euo pipefail
alter=$(firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -B -e \
  "SELECT id FROM information_schema.processlist WHERE info LIKE 'ALTER TABLE invoices%' LIMIT 1")
[ -n "$alter" ] || { echo "no ALTER found" >&2; exit 1; }
firedrill shell db --run "$FIREDRILL_RUN" -- mysql -e "KILL $alter"
sleep 2
firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -B -e \
  "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'ALTER TABLE invoices%'" | grep -qx 0
