# fails: upload-works, upload-through-proxy
# Partial fix: the configuration file is corrected, but the running nginx never loads it.
set -euo pipefail
shell() { firedrill shell proxy --run "$FIREDRILL_RUN" -- "$@"; }
shell sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf
shell grep -q 'client_max_body_size 20m;' /etc/nginx/conf.d/billing.conf
