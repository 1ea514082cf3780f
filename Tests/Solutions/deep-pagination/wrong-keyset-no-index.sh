# Partial fix: keyset paging in the code, but no index on created_at. Each page is the
# right one, and each still reads and sorts every invoice older than the cursor.
set -euo pipefail
python3 - "$FIREDRILL_WORKSPACE/backend/app/app.py" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old = '''    if customer is not None:
        rows = query('''
new = '''    before, before_id = request.args.get("before"), int_arg("before_id")
    if customer is None and before and before_id is not None:
        rows = query(
            "SELECT id, customer_id, sequence_number, amount_cents, status, created_at"
            " FROM invoices WHERE created_at < %s OR (created_at = %s AND id < %s)"
            " ORDER BY created_at DESC, id DESC LIMIT 20",
            (before, before, before_id))
    elif customer is not None:
        rows = query('''
assert old in text
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
sleep 3
