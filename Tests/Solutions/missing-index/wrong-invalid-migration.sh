# fails: migration-in-code
# Wrong fix: the index made by hand, and a migration that names it but is not valid SQL
# (CREATE INDEX without an index name): migrate.py fails on it here and in every
# environment built from the code.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
dropped_index
index_by_hand
migration_file 0003_restore_invoice_index "CREATE INDEX ON invoices ($column);"
if migrate; then echo "the invalid migration applied" >&2; exit 1; fi
