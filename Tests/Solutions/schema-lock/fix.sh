# Reference fix: find the idle session whose open transaction holds the metadata lock on
# invoices, and end that one session. The waiting ALTER then gets its lock and finishes,
# migrate.py records the migration, and every queued query returns.
set -euo pipefail
db() { firedrill shell db --run "$FIREDRILL_RUN" -- "$@"; }
db mysql -e "SHOW PROCESSLIST"
# The deploy's migration, still pending while its ALTER waits.
migration=$(firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py --status | awk '$1 == "pending" {print $2}' | head -n 1)
[ -n "$migration" ] || { echo "no pending migration" >&2; exit 1; }
blocker=$(db mysql -N -B -e "SELECT t.trx_mysql_thread_id FROM information_schema.innodb_trx t
  JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
  WHERE p.command = 'Sleep' ORDER BY t.trx_started LIMIT 1")
[ -n "$blocker" ] || { echo "no idle transaction found" >&2; exit 1; }
echo "ending session $blocker"
db mysql -e "KILL $blocker"
# The ALTER finishes in about a second; wait for the migration to be recorded.
for _ in $(seq 1 60); do
  applied=$(db mysql -N -B -e "SELECT COUNT(*) FROM billing.schema_migrations WHERE version = '$migration'")
  [ "$applied" = 1 ] && break
  sleep 0.5
done
echo "migration recorded: $applied"
curl -s -o /dev/null -w 'search after the fix: %{http_code} in %{time_total} s\n' --max-time 10 "$FIREDRILL_URL_API/api/invoices?customer=4242"
