# Reference fix: give the proxy back a body limit that fits attachments, check the
# configuration, and make the running nginx load it.
set -euo pipefail
firedrill shell proxy --run "$FIREDRILL_RUN" -- sed -i 's/client_max_body_size 1m;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf
firedrill shell proxy --run "$FIREDRILL_RUN" -- sh -c 'nginx -t && nginx -s reload'
