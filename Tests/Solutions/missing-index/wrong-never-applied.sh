# fails: migration-in-code
# Wrong fix: the index made by hand, and a valid migration that creates it, never run
# here. schema_migrations does not record it, so the next deploy runs it against the
# index already there and fails on the duplicate name.
set -euo pipefail
db() { firedrill shell db --run "$FIREDRILL_RUN" -- "$@"; }
db mysql billing -e 'CREATE INDEX idx_invoices_customer ON invoices (customer_id)'
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0003_restore_invoice_customer_index.sql" <<'SQL'
CREATE INDEX idx_invoices_customer ON invoices (customer_id);
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py --status | grep -q '^pending  0003_restore_invoice_customer_index$'
db mysql -N -B billing -e "SHOW INDEX FROM invoices WHERE Key_name = 'idx_invoices_customer'" | grep -q customer_id
