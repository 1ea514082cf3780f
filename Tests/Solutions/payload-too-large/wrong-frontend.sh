# fails: upload-works, upload-through-proxy
# Wrong instance: the limit is raised on the frontend's nginx, which the API requests never cross.
set -euo pipefail
shell() { firedrill shell frontend --run "$FIREDRILL_RUN" -- "$@"; }
shell sh -c "sed -i 's/^\(\s*listen 80[^;]*;\)/\1\n    client_max_body_size 50m;/' /etc/nginx/conf.d/billing.conf && nginx -t && nginx -s reload"
shell grep -q 'client_max_body_size 50m;' /etc/nginx/conf.d/billing.conf
