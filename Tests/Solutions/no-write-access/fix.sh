# Reference fix: give the upload directory back to the account the API runs as, with the
# mode the image built it with (owner may write, group may read, others nothing).
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c 'chown app:app /var/app/tmp && chmod 750 /var/app/tmp && ls -ld /var/app/tmp'
head -c 200000 /dev/urandom > /tmp/firedrill-fix-upload.bin
status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@/tmp/firedrill-fix-upload.bin "$FIREDRILL_URL_API/api/attachments" || true)
rm -f /tmp/firedrill-fix-upload.bin
echo "upload after the fix: $status"
