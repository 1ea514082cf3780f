# fails: migration-in-code
# Wrong fix: the index made by hand, and a migration that names it but is not valid SQL
# (CREATE INDEX without an index name): migrate.py fails on it here and in every
# environment built from the code.
set -euo pipefail
db() { firedrill shell db --run "$FIREDRILL_RUN" -- "$@"; }
db mysql billing -e 'CREATE INDEX idx_invoices_customer ON invoices (customer_id)'
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0003_restore_invoice_customer_index.sql" <<'SQL'
CREATE INDEX ON invoices (customer_id);
SQL
if firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py; then
  echo "the invalid migration applied" >&2; exit 1
fi
db mysql -N -B billing -e "SHOW INDEX FROM invoices WHERE Key_name = 'idx_invoices_customer'" | grep -q customer_id
