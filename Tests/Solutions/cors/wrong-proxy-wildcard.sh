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
firedrill shell proxy --run "$FIREDRILL_RUN" -- sh -c 'nginx -t && nginx -s reload'
# A reload is asynchronous: retry a preflight until the new workers answer it (bounded).
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS -H 'Origin: http://example.invalid' \
    -H 'Access-Control-Request-Method: POST' "$FIREDRILL_URL_API/api/users" || true)
  [ "$status" = 204 ] && break
  sleep 0.25
done
echo "preflight through the proxy after the change: $status"
[ "$status" = 204 ]
