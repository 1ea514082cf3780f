# Shared by the wrong fixes that run the API as root: its supervisor program switched to
# root and applied, then an upload tried until the restarted API takes it (bounded).
firedrill_api_as_root() {
  local conf="$FIREDRILL_WORKSPACE/backend/supervisor/billing.conf"
  sed -i 's/^user=app$/user=root/' "$conf"
  grep -q '^user=root$' "$conf"
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'supervisorctl reread && supervisorctl update'
}

# Uploads a small file until the API answers 201 (at most 10 s); prints the last status.
firedrill_upload() {
  local file status
  file=$(mktemp)
  head -c 2000 /dev/urandom > "$file"
  for _ in $(seq 1 40); do
    status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@"$file" "$FIREDRILL_URL_API/api/attachments" || true)
    [ "$status" = 201 ] && break
    sleep 0.25
  done
  rm -f "$file"
  echo "$status"
}

# Exits non-zero unless every gunicorn process on the backend runs as root.
firedrill_expect_root_workers() {
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    'users=$(ps -o user= -C gunicorn | sort -u); echo "gunicorn runs as: $users"; [ "$users" = root ]'
}
