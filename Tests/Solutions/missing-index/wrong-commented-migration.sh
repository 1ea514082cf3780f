# fails: migration-in-code
# Wrong fix: the index made by hand, and a migration that only mentions it in a comment
# (recorded as applied, creating nothing). A fresh environment built from the code never
# gets the index, whatever the file's text says.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
dropped_index
index_by_hand
migration_file 0003_restore_invoice_index "-- Created by hand in production during the incident; kept here for the record:
-- CREATE INDEX $index ON invoices ($column);"
migrate
db mysql -N -B billing -e "SELECT version FROM schema_migrations" | grep -q '^0003_restore_invoice_index$'
