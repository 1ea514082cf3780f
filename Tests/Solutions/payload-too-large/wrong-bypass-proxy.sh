# fails: upload-through-proxy, body-limit-kept
# Wrong fix: publish the backend's gunicorn on the API's port in place of the proxy, so that
# uploads skip the proxy's limit. They work, but none of the API's traffic crosses the proxy any
# more (its limit, its access log, its timeouts): nothing caps a request body.
set -euo pipefail
cd "$FIREDRILL_WORKSPACE"
# The API's port moves from the proxy (8080) to gunicorn (8000).
sed -i '/^    ports:$/{N;/\n      - "127\.0\.0\.1:${FD_API_PORT}:8080"$/d}' compose.yaml
sed -i '/^      - \.\/backend\/supervisor:\/etc\/supervisor\/conf\.d$/a\
    ports:\
      - "127.0.0.1:${FD_API_PORT}:8000"' compose.yaml
grep -q '"127.0.0.1:${FD_API_PORT}:8000"' compose.yaml
if grep -q '"127.0.0.1:${FD_API_PORT}:8080"' compose.yaml; then exit 1; fi
# The proxy first, so that it lets go of the port before the backend takes it.
docker-compose -p "firedrill-$FIREDRILL_RUN" up -d --no-deps proxy
docker-compose -p "firedrill-$FIREDRILL_RUN" up -d
# The re-created backend takes a moment to start: reload its health until it answers (bounded).
for _ in $(seq 1 60); do
  server=$(curl -s -o /dev/null -D - --max-time 5 "$FIREDRILL_URL_API/api/health" | tr -d '\r' | sed -n 's/^[Ss]erver: //p' || true)
  [ -n "$server" ] && break
  sleep 1
done
echo "the API's port answers as: $server"
case "$server" in gunicorn*) ;; *) exit 1 ;; esac
