# fails: order-index, deep-page-fast
# Partial fix: keyset paging in the code, but no index on created_at. Each page is the
# right one, and each still reads and sorts every invoice older than the cursor.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
keyset_paging
