"""Keeps the first pages of the invoice list warm in memory.

The newest invoices are what everybody opens first, so the first PAGES pages of
the list are served from memory instead of the database. A thread in each worker
reloads them every REFRESH_SECONDS into a new generation; a request reads the
newest generation, so a reload never changes a list while a request reads it.
Generations older than KEEP_MS are dropped: by then no request still reads them.
"""
import logging
import threading
import time

import pymysql
import pymysql.cursors

import settings

PAGES = 50                # pages of the invoice list kept in memory
PAGE_SIZE = 20
REFRESH_SECONDS = 0.15    # how fresh the list is
KEEP_MS = 5000            # how long an old generation is kept for the requests reading it

log = logging.getLogger("billing")

_generations = {}         # load time (time.monotonic()) -> rows
_newest = None


def covers(page):
    """Whether this page of the (unfiltered) invoice list is served from memory."""
    return _newest is not None and 1 <= page <= PAGES


def rows_of_page(page):
    rows = _generations[_newest]
    start = (page - 1) * PAGE_SIZE
    return rows[start:start + PAGE_SIZE]


def _connect():
    return pymysql.connect(
        host=settings.DB_HOST, port=settings.DB_PORT,
        user=settings.DB_USER, password=settings.DB_PASSWORD,
        database=settings.DB_NAME, charset="utf8mb4", autocommit=True,
        connect_timeout=5, cursorclass=pymysql.cursors.DictCursor)


def _reload(conn):
    global _newest
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, customer_id, sequence_number, amount_cents, status, created_at"
            " FROM invoices ORDER BY created_at DESC, id DESC LIMIT %s",
            (PAGES * PAGE_SIZE,))
        rows = cur.fetchall()
    now = time.monotonic()
    _generations[now] = rows
    _newest = now
    for loaded_at in list(_generations):
        if now - loaded_at > KEEP_MS:
            del _generations[loaded_at]


def _run():
    conn = None
    while True:
        try:
            if conn is None:
                conn = _connect()
            _reload(conn)
        except Exception as exc:
            log.warning("list cache: reload failed: %s", exc)
            conn = None
        time.sleep(REFRESH_SECONDS)


threading.Thread(target=_run, name="listcache", daemon=True).start()
