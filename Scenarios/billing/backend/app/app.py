"""The billing API: invoices, attachments and users, as JSON over HTTP.

Runs under gunicorn (see gunicorn.conf.py); settings come from billing.env
(see settings.py). Every request opens its own database connection and closes
it at the end.
"""
import logging
import os
import uuid
from datetime import date

import pymysql
import pymysql.cursors
from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.utils import secure_filename

import settings

PAGE_SIZE = 20

app = Flask(__name__)

# Under gunicorn, the app's log goes to gunicorn's error log (/var/log/billing/error.log).
log = logging.getLogger("billing")
_gunicorn_log = logging.getLogger("gunicorn.error")
if _gunicorn_log.handlers:
    log.handlers = _gunicorn_log.handlers
    app.logger.handlers = _gunicorn_log.handlers
else:
    logging.basicConfig()
log.setLevel(settings.LOG_LEVEL)
app.logger.setLevel(settings.LOG_LEVEL)
log.propagate = False
app.logger.propagate = False


# --- database -----------------------------------------------------------------

def db():
    """The request's database connection, opened on first use."""
    if "db" not in g:
        g.db = pymysql.connect(
            host=settings.DB_HOST,
            port=settings.DB_PORT,
            user=settings.DB_USER,
            password=settings.DB_PASSWORD,
            database=settings.DB_NAME,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=5,
            cursorclass=pymysql.cursors.DictCursor,
        )
    return g.db


def query(sql, params=()):
    log.debug("sql: %s params=%r", " ".join(sql.split()), params)
    with db().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def execute(sql, params=()):
    log.debug("sql: %s params=%r", " ".join(sql.split()), params)
    with db().cursor() as cur:
        cur.execute(sql, params)
        return cur.lastrowid


@app.teardown_appcontext
def close_db(_exc):
    conn = g.pop("db", None)
    if conn is not None:
        try:
            conn.close()
        except Exception:
            pass


def as_json(row):
    """A database row as JSON-friendly values (dates as 'YYYY-MM-DD HH:MM:SS')."""
    out = {}
    for key, value in row.items():
        if hasattr(value, "strftime"):
            value = value.strftime("%Y-%m-%d %H:%M:%S")
        out[key] = value
    return out


def int_arg(name, default=None):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadArgument(f"{name} must be a whole number")


class BadArgument(Exception):
    pass


# --- CORS ---------------------------------------------------------------------
# The API is on another origin than the web app, so the browser asks before it
# lets the page read a response. Only origins listed in ALLOWED_ORIGINS get the
# Access-Control-Allow-Origin header; "*" in the list allows any origin.

def origin_allowed(origin):
    origin = origin.rstrip("/")
    return "*" in settings.ALLOWED_ORIGINS or origin in settings.ALLOWED_ORIGINS


@app.before_request
def cors_preflight():
    if request.method != "OPTIONS":
        return None
    origin = request.headers.get("Origin")
    if not origin or not origin_allowed(origin):
        log.info("CORS preflight refused for origin %r", origin)
        return jsonify(error="origin not allowed"), 403
    response = app.response_class(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = (
        request.headers.get("Access-Control-Request-Headers") or "Content-Type")
    return response


@app.after_request
def cors_headers(response):
    origin = request.headers.get("Origin")
    if origin and origin_allowed(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
    response.vary.add("Origin")
    return response


# --- errors -------------------------------------------------------------------

@app.errorhandler(BadArgument)
def bad_argument(exc):
    return jsonify(error=str(exc)), 400


@app.errorhandler(HTTPException)
def http_error(exc):
    if isinstance(exc, InternalServerError):
        return internal_error(exc)
    return jsonify(error=exc.description), exc.code


@app.errorhandler(InternalServerError)
def internal_error(_exc):
    # Flask has already written the traceback to the error log.
    return jsonify(error="internal server error"), 500


# --- endpoints ----------------------------------------------------------------

@app.get("/api/health")
def health():
    try:
        query("SELECT 1")
    except Exception as exc:
        log.warning("health check: database unavailable: %s", exc)
        return jsonify(status="degraded", db=str(exc)), 503
    return jsonify(status="ok", db="connected")


@app.get("/api/invoices")
def list_invoices():
    page = max(int_arg("page", 1), 1)
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
    return jsonify(
        customer=customer,
        page=page,
        per_page=PAGE_SIZE,
        has_more=len(rows) == PAGE_SIZE,
        invoices=[as_json(r) for r in rows],
    )


@app.get("/api/invoices/by-number/<sequence_number>")
def invoice_by_number(sequence_number):
    # sequence_number is a VARCHAR column: compare it with a string so that
    # idx_invoices_sequence can be used.
    rows = query(
        "SELECT id, customer_id, sequence_number, amount_cents, status, created_at"
        " FROM invoices WHERE sequence_number = %s",
        (str(sequence_number),))
    if not rows:
        return jsonify(error=f"no invoice with number {sequence_number}"), 404
    return jsonify(invoice=as_json(rows[0]))


@app.post("/api/attachments")
def upload_attachment():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return jsonify(error="send the file as multipart form field 'file'"), 400
    invoice_id = request.form.get("invoice_id") or None
    if invoice_id is not None:
        try:
            invoice_id = int(invoice_id)
        except ValueError:
            return jsonify(error="invoice_id must be a whole number"), 400

    name = secure_filename(upload.filename) or "upload"
    stored_path = os.path.join(settings.UPLOAD_DIR, f"{uuid.uuid4().hex}-{name}")
    upload.save(stored_path)
    size = os.path.getsize(stored_path)

    attachment_id = execute(
        "INSERT INTO attachments (invoice_id, filename, size_bytes, stored_path, created_at)"
        " VALUES (%s, %s, %s, %s, NOW())",
        (invoice_id, upload.filename, size, stored_path))
    log.info("attachment %s stored at %s (%d bytes)", attachment_id, stored_path, size)
    return jsonify(id=attachment_id, size=size, filename=upload.filename,
                   stored_path=stored_path), 201


@app.get("/api/users/today")
def users_today():
    # "Today" in the app's local time zone, compared with the dates the database wrote.
    today = date.today()
    rows = query(
        "SELECT id, name, email, created_at FROM users"
        " WHERE DATE(created_at) = %s ORDER BY created_at DESC, id DESC",
        (today.isoformat(),))
    return jsonify(date=today.isoformat(), users=[as_json(r) for r in rows])


@app.post("/api/users")
def create_user():
    data = request.get_json(silent=True) or {}
    name = str(data.get("name") or "").strip()
    email = str(data.get("email") or "").strip()
    if not name or not email:
        return jsonify(error="name and email are required"), 400
    user_id = execute(
        "INSERT INTO users (name, email, created_at) VALUES (%s, %s, NOW())",
        (name, email))
    row = query("SELECT id, name, email, created_at FROM users WHERE id = %s", (user_id,))[0]
    return jsonify(user=as_json(row)), 201
