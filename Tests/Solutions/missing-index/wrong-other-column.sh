# fails: search-uses-index, search-fast, migration-in-code
# Wrong fix: an index, in a proper migration, but on a column the search does not filter on.
set -euo pipefail
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0003_index_invoice_status.sql" <<'SQL'
CREATE INDEX idx_invoices_status ON invoices (status);
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py
firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -B billing -e "SHOW INDEX FROM invoices WHERE Key_name = 'idx_invoices_status'" | grep -q status
