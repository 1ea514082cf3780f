"""Settings of the billing API, read from /etc/billing/billing.env at start.

The file holds KEY=VALUE lines (see the comments in the file itself). ${NAME}
inside a value is replaced by the environment variable NAME of the process,
which is how ALLOWED_ORIGINS picks up FRONTEND_ORIGIN from the compose file.
BILLING_ENV in the environment points at another file (handy for tests).
"""
import os
import re

ENV_FILE = os.environ.get("BILLING_ENV", "/etc/billing/billing.env")

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand(value):
    return _REF.sub(lambda m: os.environ.get(m.group(1), ""), value)


def load(path=ENV_FILE):
    values = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            key, value = key.strip(), value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            values[key] = _expand(value)
    return values


_values = load()

DB_HOST = _values.get("DB_HOST", "db")
DB_PORT = int(_values.get("DB_PORT", "3306"))
DB_NAME = _values.get("DB_NAME", "billing")
DB_USER = _values.get("DB_USER", "billing")
DB_PASSWORD = _values.get("DB_PASSWORD", "")
ALLOWED_ORIGINS = [o.strip().rstrip("/") for o in _values.get("ALLOWED_ORIGINS", "").split(",") if o.strip()]
LOG_LEVEL = _values.get("LOG_LEVEL", "INFO").upper()
UPLOAD_DIR = _values.get("UPLOAD_DIR", "/var/app/tmp")
