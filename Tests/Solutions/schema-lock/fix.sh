# Reference fix: find the idle session whose open transaction holds the metadata lock on
# invoices, and end that one session. The waiting ALTER then gets its lock and finishes,
# migrate.py records the migration, and every queued query returns.
set -euo pipefail
db() { firedrill shell db --run "$FIREDRILL_RUN" -- "$@"; }
db mysql -e "SHOW PROCESSLIST"
blocker=$(db mysql -N -B -e "SELECT t.trx_mysql_thread_id FROM information_schema.innodb_trx t
  JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
  WHERE p.command = 'Sleep' ORDER BY t.trx_started LIMIT 1")
[ -n "$blocker" ] || { echo "no idle transaction found" >&2; exit 1; }
echo "ending session $blocker"
db mysql -e "KILL $blocker"
# The ALTER finishes in about a second; wait for the migration to be recorded.
for _ in $(seq 1 60); do
  applied=$(db mysql -N -B -e "SELECT COUNT(*) FROM billing.schema_migrations WHERE version = '0002_invoice_due_dates'")
  [ "$applied" = 1 ] && break
  sleep 0.5
done
echo "migration recorded: $applied"
curl -s -o /dev/null -w 'search after the fix: %{http_code} in %{time_total} s\n' --max-time 10 "$FIREDRILL_URL_API/api/invoices?customer=4242"
