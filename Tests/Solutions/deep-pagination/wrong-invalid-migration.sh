# fails: order-index
# Wrong fix: keyset paging, and the index made by hand, with a migration that names it
# but is not valid (a table that does not exist): migrate.py fails on it here and in
# every environment built from the code, which never gets the index.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
index_by_hand
if migration 0003_restore_invoice_created_index "CREATE INDEX idx_invoices_created ON invoice (created_at);"; then
  echo "the invalid migration applied" >&2; exit 1
fi
keyset_paging
