# fails: migration-in-code
# Wrong fix: the index made by hand, and the release's migration edited so that it no longer
# drops it. A new environment keeps the index, but every environment that already ran the
# release (it is recorded there) never runs the edited file again, and stays slow.
set -euo pipefail
source "$(dirname "$0")/steps.sh"
dropped_index
index_by_hand
release=$(ls "$migrations"/0002_*.sql)
sed -i "s/^ALTER TABLE invoices DROP INDEX $index;$/-- &  (kept: search needs it)/" "$release"
grep -q "^-- ALTER TABLE invoices DROP INDEX $index;" "$release"
