# fails: code-sends-string
# Wrong fix: the column is made a number to match the code, in a migration. Lookups are
# fast again, but the code still sends a number where invoice numbers are strings (a
# leading zero or a prefix ends that), and the table was rebuilt in production to hide it.
set -euo pipefail
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0002_invoice_numbers_are_numbers.sql" <<'SQL'
ALTER TABLE invoices MODIFY sequence_number BIGINT UNSIGNED NOT NULL;
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py
firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -B -e "SELECT data_type FROM information_schema.columns WHERE table_schema = 'billing' AND table_name = 'invoices' AND column_name = 'sequence_number'" | grep -qx bigint
