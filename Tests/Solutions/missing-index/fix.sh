# Reference fix: a migration in the app's code restores the index customer search uses,
# applied the way the app applies every migration.
set -euo pipefail
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0003_restore_invoice_customer_index.sql" <<'SQL'
-- Customer search (GET /api/invoices?customer=ID) filters on customer_id:
-- without this index every search reads the whole invoices table.
CREATE INDEX idx_invoices_customer ON invoices (customer_id);
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py
