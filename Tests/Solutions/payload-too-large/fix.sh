# Reference fix: give the proxy back a body limit that fits attachments (whatever the deployed
# change set it to), check the configuration, and make the running nginx load it.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
on proxy sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf
on proxy grep -q 'client_max_body_size 20m;' /etc/nginx/conf.d/billing.conf
on proxy sh -c 'nginx -t && nginx -s reload'
# A reload is asynchronous: nginx answers with the old workers until the new ones are up.
# Retry the upload the way a trainee would, until the proxy no longer refuses it.
head -c 5000000 /dev/urandom > /tmp/firedrill-fix-upload.bin
wait_for_status '!413' -F file=@/tmp/firedrill-fix-upload.bin "$FIREDRILL_URL_API/api/attachments" || true
rm -f /tmp/firedrill-fix-upload.bin
echo "upload after the fix: $status"
