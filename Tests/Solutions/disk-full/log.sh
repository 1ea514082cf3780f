# Shared by the scripts of disk-full.
source "$(dirname "${BASH_SOURCE[0]}")/../app-code.sh"

# The biggest file on the backend's /var, as `du` or `find` shows it to a trainee: the log.
firedrill_full_log() {
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    "find /var -xdev -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2"
}

# For the wrong fixes that send the app's log elsewhere with debug logging still on:
# gunicorn's error log moved to $1 in its config, the full log removed, the app restarted
# so that it lets go of the old file and opens the new one. Exits non-zero unless the
# newest worker has $1 open and the old log no longer (read as app: root in an instance may
# not read another user's /proc/PID/fd), and the space came back.
firedrill_move_log() {
  local conf="$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py" log
  log=$(firedrill_full_log)
  sed -i "s|^errorlog = .*|errorlog = \"$1\"|" "$conf"
  grep -qx "errorlog = \"$1\"" "$conf"
  firedrill shell backend --run "$FIREDRILL_RUN" -- rm -f "$log"
  restart_app /api/health
  firedrill shell backend --run "$FIREDRILL_RUN" -- df -h /var
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    "grep -q '^LOG_LEVEL=DEBUG' /etc/billing/billing.env && fds=\$(su -s /bin/sh app -c \"ls -l /proc/\$(pgrep -nx gunicorn)/fd\") && echo \"\$fds\" | grep -q ' $1\$' && ! echo \"\$fds\" | grep -q '$log' && df -P /var | awk 'NR == 2 && \$5 + 0 < 50 { ok = 1 } END { exit !ok }'"
}
