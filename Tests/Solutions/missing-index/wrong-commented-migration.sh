# fails: migration-in-code
# Wrong fix: the index made by hand, and a migration that only mentions it in a comment
# (recorded as applied, creating nothing). A fresh environment built from the code never
# gets the index, whatever the file's text says.
set -euo pipefail
db() { firedrill shell db --run "$FIREDRILL_RUN" -- "$@"; }
db mysql billing -e 'CREATE INDEX idx_invoices_customer ON invoices (customer_id)'
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0003_restore_invoice_customer_index.sql" <<'SQL'
-- Created by hand in production during the incident; kept here for the record:
-- CREATE INDEX idx_invoices_customer ON invoices (customer_id);
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py
db mysql -N -B billing -e "SELECT version FROM schema_migrations" | grep -q '^0003_restore_invoice_customer_index$'
db mysql -N -B billing -e "SHOW INDEX FROM invoices WHERE Key_name = 'idx_invoices_customer'" | grep -q customer_id
