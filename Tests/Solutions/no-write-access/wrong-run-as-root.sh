# Wrong fix: run the API as root, so that it may write anywhere. Uploads work; the directory
# stays root's, and a bug in the app is now a bug running as root.
set -euo pipefail
sed -i 's/^user=app$/user=root/' "$FIREDRILL_WORKSPACE/backend/supervisor/billing.conf"
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'supervisorctl reread && supervisorctl update'
head -c 2000 /dev/urandom > /tmp/firedrill-wrong-upload.bin
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@/tmp/firedrill-wrong-upload.bin "$FIREDRILL_URL_API/api/attachments" || true)
  [ "$status" = 201 ] && break
  sleep 0.25
done
rm -f /tmp/firedrill-wrong-upload.bin
echo "upload with the API as root: $status"
