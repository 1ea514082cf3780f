# fails: keyset-pages, deep-page-fast
# Partial fix: the index is back, in a proper migration. The first pages are fast again,
# but the API still pages with OFFSET and ignores the cursor Next sends: deep pages read
# and discard half a million rows, and the optimizer goes back to a full scan for them.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
migration 0003_restore_invoice_created_index "CREATE INDEX idx_invoices_created ON invoices (created_at);"
index_exists
