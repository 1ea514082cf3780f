# fails: keyset-pages, deep-page-fast
# Wrong fix: the index in a migration and keyset paging, but the seek replaces the
# customer filter instead of adding to it: fast, right on the whole list, and Next on
# one customer's invoices lists everybody's.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
migration 0003_restore_invoice_created_index "CREATE INDEX idx_invoices_created ON invoices (created_at);"
index_exists
keyset_paging drops-customer
