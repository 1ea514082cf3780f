# fails: body-limit-kept
# Wrong fix: switch the proxy's body limit off (0 means no limit). Scans upload, and so would a
# body of any size: one client can fill the backend's disk or hold its workers.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
on proxy sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 0;/' /etc/nginx/conf.d/billing.conf
on proxy grep -q 'client_max_body_size 0;' /etc/nginx/conf.d/billing.conf
on proxy sh -c 'nginx -t && nginx -s reload'
# A reload is asynchronous: retry an upload until the new workers take it (bounded).
head -c 5000000 /dev/urandom > /tmp/firedrill-no-limit-upload.bin
wait_for_status '!413' -F file=@/tmp/firedrill-no-limit-upload.bin "$FIREDRILL_URL_API/api/attachments" || true
rm -f /tmp/firedrill-no-limit-upload.bin
echo "upload with no limit: $status"
[ "$status" = 201 ]
