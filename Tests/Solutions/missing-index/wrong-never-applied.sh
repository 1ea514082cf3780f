# fails: migration-in-code
# Wrong fix: the index made by hand, and a valid migration that creates it, never run
# here. schema_migrations does not record it, so the next deploy runs it against the
# index already there and fails on the duplicate name.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
dropped_index
index_by_hand
migration_file 0003_restore_invoice_index "CREATE INDEX $index ON invoices ($column);"
migrate --status | grep -q '^pending  0003_restore_invoice_index$'
