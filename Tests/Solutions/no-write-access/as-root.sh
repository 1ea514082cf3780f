# Shared by the wrong fixes that run the API as root: its supervisor program switched to
# root and applied, then an upload tried until the restarted API takes it (bounded).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

firedrill_api_as_root() {
  local conf="$FIREDRILL_WORKSPACE/backend/supervisor/billing.conf"
  sed -i 's/^user=app$/user=root/' "$conf"
  grep -q '^user=root$' "$conf"
  on backend sh -c 'supervisorctl reread && supervisorctl update'
}

# Uploads a small file until the API answers 201 (at most 10 s); prints the last status.
firedrill_upload() {
  local file status
  file=$(mktemp)
  head -c 2000 /dev/urandom > "$file"
  wait_for_status 201 -F file=@"$file" "$FIREDRILL_URL_API/api/attachments" || true
  rm -f "$file"
  echo "$status"
}

# Exits non-zero unless every gunicorn process on the backend runs as root.
firedrill_expect_root_workers() {
  on backend sh -c \
    'users=$(ps -o user= -C gunicorn | sort -u); echo "gunicorn runs as: $users"; [ "$users" = root ]'
}
