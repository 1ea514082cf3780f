# Reference fix: the list cache was keyed on the request's database connection, a new object
# on every request, so it never hit and kept every block it read, forever. Key it on what the
# block is (customer, block), keep a bounded number of blocks (least recently used goes first),
# restart the app, then watch it serve as a person would before calling it fixed.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
file="$FIREDRILL_WORKSPACE/backend/app/listcache.py"
grep -q '^@functools.lru_cache(maxsize=None)$' "$file"
grep -q '^def _[a-z_]*(conn, customer, block):$' "$file"
# The release's read-ahead stays as it was: only the key and the bound change.
pages=$(sed -n 's/^READ_AHEAD = \([0-9]*\) .*/\1/p' "$file")
cat > "$file" <<'PY'
"""Reads the invoice list ahead, so that paging on is served from memory.

People page through the newest invoices one page after the other. Instead of one
query per page, the list now reads READ_AHEAD pages at once (one query of
READ_AHEAD * PAGE_SIZE rows) and keeps that block in memory: the pages after the
first one come from memory, not from the database.

A block is a megabyte or two in a worker: at most KEEP_BLOCKS of them are kept, the
least recently used goes first. The key is what the block is (customer, block),
never the request's connection, which is new on every request.
"""
import collections
import threading

PAGE_SIZE = 20
READ_AHEAD = 100          # pages read from the database at once
KEEP_BLOCKS = 16          # blocks kept per worker

COLUMNS = "id, customer_id, sequence_number, amount_cents, status, created_at"

_blocks = collections.OrderedDict()    # (customer, block) -> rows, least recently used first
_lock = threading.Lock()


def rows_of_page(conn, customer, page):
    """The rows of one page of the invoice list: all invoices, or one customer's."""
    block, index = divmod(page - 1, READ_AHEAD)
    key = (customer, block)
    with _lock:
        rows = _blocks.get(key)
        if rows is not None:
            _blocks.move_to_end(key)
    if rows is None:
        rows = _read_block(conn, customer, block)
        with _lock:
            _blocks[key] = rows
            _blocks.move_to_end(key)
            while len(_blocks) > KEEP_BLOCKS:
                _blocks.popitem(last=False)
    return rows[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]


def _read_block(conn, customer, block):
    """READ_AHEAD pages of the list, from the first row of this block on."""
    limit = READ_AHEAD * PAGE_SIZE
    with conn.cursor() as cur:
        if customer is None:
            cur.execute(
                f"SELECT {COLUMNS} FROM invoices"
                " ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
                (limit, block * limit))
        else:
            cur.execute(
                f"SELECT {COLUMNS} FROM invoices WHERE customer_id = %s"
                " ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
                (customer, limit, block * limit))
        return cur.fetchall()
PY
sed -i "s/^READ_AHEAD = 100 /READ_AHEAD = $pages /" "$file"
grep -q "^READ_AHEAD = $pages " "$file"
restart_app /api/health
# Ask for the same page a few times and see that it is now fast and the workers stay small.
for _ in 1 2 3 4 5; do
  curl -s -o /dev/null -w 'page 2: %{http_code} in %{time_total} s\n' "$FIREDRILL_URL_API/api/invoices?page=2"
done
firedrill shell backend --run "$FIREDRILL_RUN" -- ps -o pid,rss,etime,args -u app
