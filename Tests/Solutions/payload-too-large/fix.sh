# Reference fix: give the proxy back a body limit that fits attachments (whatever the deployed
# change set it to), check the configuration, and make the running nginx load it.
set -euo pipefail
shell() { firedrill shell proxy --run "$FIREDRILL_RUN" -- "$@"; }
shell sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf
shell grep -q 'client_max_body_size 20m;' /etc/nginx/conf.d/billing.conf
shell sh -c 'nginx -t && nginx -s reload'
# A reload is asynchronous: nginx answers with the old workers until the new ones are up.
# Retry the upload the way a trainee would, until the proxy no longer refuses it.
head -c 5000000 /dev/urandom > /tmp/firedrill-fix-upload.bin
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@/tmp/firedrill-fix-upload.bin "$FIREDRILL_URL_API/api/attachments")
  [ "$status" != 413 ] && break
  sleep 0.25
done
rm -f /tmp/firedrill-fix-upload.bin
echo "upload after the fix: $status"
