# Shared by the wrong fixes that send the app's log elsewhere with debug logging still on:
# gunicorn's error log moved to $1 in its config, the full log removed, the app restarted
# so that it lets go of the old file and opens the new one. Exits non-zero unless the
# newest worker has $1 open (and the old log no longer) and the space came back.
firedrill_move_log() {
  local conf="$FIREDRILL_WORKSPACE/backend/app/gunicorn.conf.py" status
  sed -i "s|^errorlog = .*|errorlog = \"$1\"|" "$conf"
  grep -qx "errorlog = \"$1\"" "$conf"
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    'rm -f /var/log/billing/error.log && supervisorctl restart billing'
  for _ in $(seq 1 40); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/health" || true)
    [ "$status" = 200 ] && break
    sleep 0.5
  done
  firedrill shell backend --run "$FIREDRILL_RUN" -- df -h /var
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    "grep -q '^LOG_LEVEL=DEBUG' /etc/billing/billing.env && fds=\$(ls -l /proc/\$(pgrep -nx gunicorn)/fd) && echo \"\$fds\" | grep -q ' $1\$' && ! echo \"\$fds\" | grep -q error.log && df -P /var | awk 'NR == 2 && \$5 + 0 < 50 { ok = 1 } END { exit !ok }'"
}
