# Reference fix: both halves. A migration puts back an index on created_at (the list's
# order), and the API pages by keyset when the web app sends the last invoice it showed
# (before, before_id): "the 20 invoices just before this one" is a short range read on
# that index, where OFFSET n reads and throws away n rows at any depth.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
migration 0003_restore_invoice_created_index "-- The invoice list orders by created_at: its keyset pages are range reads on this index.
CREATE INDEX idx_invoices_created ON invoices (created_at);"
index_exists
keyset_paging
