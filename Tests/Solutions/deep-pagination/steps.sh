# Steps the level's fix and wrong fixes share, each acting as a trainee would and failing
# when its edit did not land. Sourced, not run: prove runs fix.sh and wrong-*.sh.

migrations="$FIREDRILL_WORKSPACE/backend/app/migrations"

# A migration in the app's code (file name, SQL), then migrate.py as the app runs it.
migration() {
  printf '%s\n' "$2" > "$migrations/$1.sql"
  firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py
}

# The index on created_at, made by hand in the database.
index_by_hand() {
  firedrill shell db --run "$FIREDRILL_RUN" -- mysql billing -e 'CREATE INDEX idx_invoices_created ON invoices (created_at)'
  index_exists
}

index_exists() {
  firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -B billing -e \
    "SHOW INDEX FROM invoices WHERE Column_name = 'created_at' AND Seq_in_index = 1" | grep -q created_at
}

# The names of the cursor the web app's Next sends (the last invoice's created_at and id),
# as its code says: "$at" and "$at_id".
cursor_names() {
  local js="$FIREDRILL_WORKSPACE/frontend/www/app.js"
  at=$(sed -n 's/.*params.set("\([a-z_]*\)", cursor.created_at);.*/\1/p' "$js")
  at_id=$(sed -n 's/.*params.set("\([a-z_]*\)", String(cursor.id));.*/\1/p' "$js")
  [ -n "$at" ] && [ -n "$at_id" ]
}

# The API's half of keyset paging: with the last invoice shown (the cursor), the next page
# is "the 20 invoices just before this one" instead of OFFSET n. With `drops-customer`, the
# cursor's page forgets the customer filter.
keyset_paging() {
  cursor_names
  python3 - "$FIREDRILL_WORKSPACE/backend/app/app.py" "${1:-}" "$at" "$at_id" <<'PY'
import sys
path, variant, at, at_id = sys.argv[1:5]
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
if variant == "drops-customer":
    # The seek replaces the WHERE instead of adding to it: the customer filter is lost.
    seek = '        where.append("created_at <= %s AND (created_at < %s OR id < %s)")\n        params += [before, before, before_id]'
    assert seek in new
    new = new.replace(seek, '        where = ["created_at <= %s AND (created_at < %s OR id < %s)"]\n        params = [before, before, before_id]')
new = new.replace('args.get("before")', f'args.get("{at}")').replace('int_arg("before_id")', f'int_arg("{at_id}")')
assert old in text, "the list's OFFSET query was not found"
open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))
PY
  grep -q "before_id = int_arg(\"$at_id\")" "$FIREDRILL_WORKSPACE/backend/app/app.py"
  restart_app
}

# gunicorn loads the code at start: restart it, and wait until the list answers again.
restart_app() {
  firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
  for _ in $(seq 1 40); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/invoices") || true
    [ "$status" = 200 ] && return 0
    sleep 0.25
  done
  echo "the invoice list answers $status after the restart" >&2
  return 1
}
