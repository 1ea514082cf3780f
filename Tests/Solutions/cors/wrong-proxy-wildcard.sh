# fails: preflight-allowed, request-allowed, other-origins-refused
# Wrong fix: make the proxy answer every preflight itself and stamp "*" on every response,
# leaving the API's setting as it is. Browsers stop complaining, and any site may now read
# the API's answers.
set -euo pipefail
# conf.d is a folder mount: an edit on the host that replaces the file is seen by the proxy.
sed -i '/^    location \/ {$/a\
        if ($request_method = OPTIONS) {\
            add_header Access-Control-Allow-Origin "*" always;\
            add_header Access-Control-Allow-Methods "GET, POST, OPTIONS" always;\
            add_header Access-Control-Allow-Headers "Content-Type" always;\
            return 204;\
        }\
        proxy_hide_header Access-Control-Allow-Origin;\
        add_header Access-Control-Allow-Origin "*" always;' "$FIREDRILL_WORKSPACE/proxy/conf.d/billing.conf"
grep -q 'proxy_hide_header Access-Control-Allow-Origin;' "$FIREDRILL_WORKSPACE/proxy/conf.d/billing.conf"
source "$(dirname "$0")/preflight.sh"
on proxy sh -c 'nginx -t && nginx -s reload'
# A reload is asynchronous: wait until the new workers let another origin in.
foreign_preflight_allowed
