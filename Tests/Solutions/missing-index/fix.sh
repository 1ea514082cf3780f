# Reference fix: a migration in the app's code restores the index the release dropped,
# applied the way the app applies every migration.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
dropped_index
migration_file 0003_restore_invoice_index "-- The release's 0002 dropped $index, which the search on $column needs:
-- without it every search reads the whole invoices table.
CREATE INDEX $index ON invoices ($column);"
migrate
index_exists "$index" "$column"
search_settles
