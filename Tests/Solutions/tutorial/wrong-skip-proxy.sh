# fails: api-through-proxy, page-may-call-api
# Wrong fix: publish the backend's gunicorn straight on the API's port instead of wiring the
# proxy. API calls from curl work, but nothing goes through the proxy (its upload limit, its
# access log, its timeouts), and the proxy itself still forwards nowhere.
set -euo pipefail
source "$(dirname "$0")/wiring.sh"
cd "$FIREDRILL_WORKSPACE"
publish_app
give_backend_the_db
# gunicorn's port published on the API's port, instead of the proxy's.
port=$(api_port)
sed -i '/^      - \.\/backend\/supervisor:\/etc\/supervisor\/conf\.d$/a\
    ports:\
      - "127.0.0.1:${FD_API_PORT}:'"$port"'"' compose.yaml
grep -q "\"127.0.0.1:\${FD_API_PORT}:$port\"" compose.yaml
keep_db_in_volume
up_and_wait
