"""Reads the invoice list ahead, so that paging on is served from memory.

People page through the newest invoices one page after the other. Instead of one
query per page, the list now reads READ_AHEAD pages at once (one query of
READ_AHEAD * PAGE_SIZE rows) and keeps that block in memory: the pages after the
first one come from memory, not from the database.
"""
import functools

PAGE_SIZE = 20
READ_AHEAD = ${param.release.pages}          # pages read from the database at once

COLUMNS = "id, customer_id, sequence_number, amount_cents, status, created_at"


def rows_of_page(conn, customer, page):
    """The rows of one page of the invoice list: all invoices, or one customer's."""
    block, index = divmod(page - 1, READ_AHEAD)
    rows = ${param.reader}(conn, customer, block)
    return rows[index * PAGE_SIZE:(index + 1) * PAGE_SIZE]


@functools.lru_cache(maxsize=None)
def ${param.reader}(conn, customer, block):
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
