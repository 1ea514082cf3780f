#!/usr/bin/env python3
"""The status page's probe of the billing API, run on the API's own box.

Twice a second it asks the API two questions a user would (is it up, does the
invoice list load) and writes the outcome to /tmp/statusprobe.json, which the
status page collects. It only prints when the outcome changes.
"""
import json
import os
import time
import urllib.error
import urllib.request

API = os.environ.get("PROBE_API", "http://127.0.0.1:8000")
PATHS = ["/api/health", "/api/invoices?page=1"]
STATE_FILE = "/tmp/statusprobe.json"
INTERVAL = 0.5


def probe(path):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(API + path, timeout=5) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return {"path": path, "status": status, "ms": round((time.monotonic() - started) * 1000)}


def main():
    last = None
    while True:
        results = [probe(path) for path in PATHS]
        ok = all(r["status"] == 200 for r in results)
        try:
            with open(STATE_FILE + ".new", "w") as f:
                json.dump({"at": time.time(), "ok": ok, "results": results}, f)
            os.replace(STATE_FILE + ".new", STATE_FILE)
        except OSError:
            pass
        if ok != last:
            print(time.strftime("%Y-%m-%d %H:%M:%S"), "API", "up" if ok else "DOWN", results, flush=True)
            last = ok
        time.sleep(INTERVAL)


if __name__ == "__main__":
    main()
