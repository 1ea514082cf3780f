# fails: lookup-fast, code-sends-string
# Wrong fix: "the index must be broken", so another index on sequence_number goes in, in
# a proper migration. The code still compares the VARCHAR column with a number, which no
# index on that column can serve.
set -euo pipefail
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0002_index_invoice_numbers.sql" <<'SQL'
-- Lookup by invoice number is slow: give it a fresh index.
CREATE INDEX idx_invoices_sequence_number ON invoices (sequence_number);
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py
firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -B billing -e "SHOW INDEX FROM invoices WHERE Key_name = 'idx_invoices_sequence_number'" | grep -q sequence_number
