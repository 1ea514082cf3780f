#!/usr/bin/env python3
"""Applies the database migrations of the billing API.

Migrations are the files migrations/NNNN_name.sql next to this script, applied
in name order. Each applied one is recorded in the table schema_migrations
(version = the file name without .sql), so running this again only applies the
new ones. The connection settings come from billing.env, like the app's.

    python3 /srv/app/migrate.py            apply the pending migrations
    python3 /srv/app/migrate.py --status   list applied and pending migrations

A migration file holds plain SQL statements, each ending with ';' at the end of
a line. Lines starting with '--' are comments.
"""
import os
import sys

import pymysql

import settings

HERE = os.path.dirname(os.path.abspath(__file__))
MIGRATIONS_DIR = os.path.join(HERE, "migrations")


def connect():
    return pymysql.connect(
        host=settings.DB_HOST, port=settings.DB_PORT,
        user=settings.DB_USER, password=settings.DB_PASSWORD,
        database=settings.DB_NAME, charset="utf8mb4", autocommit=True,
        connect_timeout=5)


def migration_files():
    names = sorted(n for n in os.listdir(MIGRATIONS_DIR) if n.endswith(".sql"))
    return [(n[:-4], os.path.join(MIGRATIONS_DIR, n)) for n in names]


def statements(path):
    """The SQL statements of a migration file."""
    current = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip().startswith("--"):
                continue
            current.append(line)
            if line.rstrip().endswith(";"):
                sql = "".join(current).strip().rstrip(";").strip()
                if sql:
                    yield sql
                current = []
    rest = "".join(current).strip()
    if rest:
        yield rest


def main(argv):
    conn = connect()
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version VARCHAR(64) NOT NULL PRIMARY KEY, applied_at DATETIME NOT NULL)")
        cur.execute("SELECT version FROM schema_migrations")
        applied = {row[0] for row in cur.fetchall()}

    pending = [(v, p) for v, p in migration_files() if v not in applied]

    if "--status" in argv:
        for version, _ in migration_files():
            print(f"{'applied' if version in applied else 'pending'}  {version}")
        return 0

    if not pending:
        print("no pending migrations")
        return 0
    for version, path in pending:
        print(f"applying {version} ...", flush=True)
        with conn.cursor() as cur:
            for sql in statements(path):
                cur.execute(sql)
            cur.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (%s, NOW())",
                (version,))
        print(f"applied  {version}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
