# Reference fix: both halves. A migration puts back an index on created_at (the list's
# order), and the API pages by keyset when the web app sends the last invoice it showed
# (before, before_id): "the 20 invoices just before this one" is a short range read on
# that index, where OFFSET n reads and throws away n rows at any depth.
set -euo pipefail
cat > "$FIREDRILL_WORKSPACE/backend/app/migrations/0003_restore_invoice_created_index.sql" <<'SQL'
-- The invoice list orders by created_at: its keyset pages are range reads on this index.
CREATE INDEX idx_invoices_created ON invoices (created_at);
SQL
firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py

python3 - "$FIREDRILL_WORKSPACE/backend/app/app.py" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old = '''    page = max(int_arg("page", 1), 1)
    offset = (page - 1) * PAGE_SIZE
    customer = int_arg("customer")
    if customer is not None:
        rows = query(
            "SELECT id, customer_id, sequence_number, amount_cents, status, created_at"
            " FROM invoices WHERE customer_id = %s"
            " ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET %s",
            (customer, offset))
    else:
        rows = query(
            "SELECT id, customer_id, sequence_number, amount_cents, status, created_at"
            " FROM invoices ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET %s",
            (offset,))
'''
new = '''    page = max(int_arg("page", 1), 1)
    customer = int_arg("customer")
    before = request.args.get("before")
    before_id = int_arg("before_id")
    where, params = [], []
    if customer is not None:
        where.append("customer_id = %s")
        params.append(customer)
    if before and before_id is not None:
        # Keyset paging: the invoices right after (before, before_id) in the list's order.
        # created_at <= before is a range on idx_invoices_created; the rest breaks ties
        # between invoices created in the same second, so none repeats or goes missing.
        where.append("created_at <= %s AND (created_at < %s OR id < %s)")
        params += [before, before, before_id]
        offset = 0
    else:
        offset = (page - 1) * PAGE_SIZE
    rows = query(
        "SELECT id, customer_id, sequence_number, amount_cents, status, created_at FROM invoices"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET %s",
        tuple(params) + (offset,))
'''
assert old in text, "the list's OFFSET query was not found"
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/invoices") || true
  [ "$status" = 200 ] && break
  sleep 0.25
done
echo "invoice list after the fix: $status"
