# fails: body-limit-kept
# Wrong fix: switch the proxy's body limit off (0 means no limit). Scans upload, and so would a
# body of any size: one client can fill the backend's disk or hold its workers.
set -euo pipefail
shell() { firedrill shell proxy --run "$FIREDRILL_RUN" -- "$@"; }
shell sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 0;/' /etc/nginx/conf.d/billing.conf
shell grep -q 'client_max_body_size 0;' /etc/nginx/conf.d/billing.conf
shell sh -c 'nginx -t && nginx -s reload'
# A reload is asynchronous: retry an upload until the new workers take it (bounded).
head -c 5000000 /dev/urandom > /tmp/firedrill-no-limit-upload.bin
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@/tmp/firedrill-no-limit-upload.bin "$FIREDRILL_URL_API/api/attachments")
  [ "$status" != 413 ] && break
  sleep 0.25
done
rm -f /tmp/firedrill-no-limit-upload.bin
echo "upload with no limit: $status"
[ "$status" = 201 ]
