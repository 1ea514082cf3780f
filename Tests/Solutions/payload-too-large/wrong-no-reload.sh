# Partial fix: the configuration file is corrected, but the running nginx never loads it.
set -euo pipefail
firedrill shell proxy --run "$FIREDRILL_RUN" -- sed -i 's/client_max_body_size 1m;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf
