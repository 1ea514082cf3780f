# Costly fix, not a wrong one: restarting the database server ends every session, the
# blocker among them, and the interrupted migration is left unapplied. The level counts as
# solved; the level's `costly` probe (the server process's start time) sees the restart and
# the score charges the blast radius (every client of the database lost its connections).
set -euo pipefail
firedrill shell db --run "$FIREDRILL_RUN" -- supervisorctl restart mariadb
for _ in $(seq 1 60); do
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$FIREDRILL_URL_API/api/invoices?customer=4242") || true
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "search after the restart: $status"
