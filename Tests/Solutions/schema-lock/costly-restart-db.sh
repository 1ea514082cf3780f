# Costly fix, not a wrong one (so `firedrill prove` does not run it): restarting the
# database server ends every session, the blocker among them, and the interrupted
# migration is left unapplied. The level counts as solved; the score is to charge the
# blast radius (every client of the database lost its connections). The restart shows in
# the server's uptime: `SHOW GLOBAL STATUS LIKE 'Uptime'` below the run's age since live
# (or, for a restart of the whole instance, `ps -o etimes= -p 1` in db).
set -euo pipefail
firedrill shell db --run "$FIREDRILL_RUN" -- supervisorctl restart mariadb
for _ in $(seq 1 60); do
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$FIREDRILL_URL_API/api/invoices?customer=4242") || true
  [ "$status" = 200 ] && break
  sleep 0.5
done
echo "search after the restart: $status"
