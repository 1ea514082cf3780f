# fails: search-uses-index, search-fast, migration-in-code
# Wrong fix: an index, in a proper migration, but on a column the search does not filter on.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
migration_file 0003_index_invoice_status "CREATE INDEX idx_invoices_status ON invoices (status);"
migrate
index_exists idx_invoices_status status
