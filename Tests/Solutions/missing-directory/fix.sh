# Reference fix: the upload code makes sure its folder exists before it writes
# (os.makedirs with exist_ok), and the app is restarted to load the change.
set -euo pipefail
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
# backend/app is a folder mount: the edited file is what the backend runs after a restart.
sed -i '/^    folder = os.path.join(settings.UPLOAD_DIR, /a\
    os.makedirs(folder, exist_ok=True)' "$app"
grep -n '^    os.makedirs(folder, exist_ok=True)$' "$app"
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
# Try an upload, as a person would after the restart, until it goes through (bounded).
head -c 200000 /dev/urandom > /tmp/firedrill-fix-upload.bin
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@/tmp/firedrill-fix-upload.bin "$FIREDRILL_URL_API/api/attachments" || true)
  [ "$status" = 201 ] && break
  sleep 0.25
done
rm -f /tmp/firedrill-fix-upload.bin
echo "upload after the fix: $status"
