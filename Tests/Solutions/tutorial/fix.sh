# Reference fix: wire the stack the way a trainee would, by editing the workspace's compose
# file and the proxy's config, then applying them with compose under the run's project name.
#   - the web app and the proxy publish their ports on 127.0.0.1 at the run's ports;
#   - the proxy forwards to the backend by its service name on the compose network;
#   - the backend gets the database's host and password in its environment;
#   - the database keeps /var/lib/mysql in a named volume (compose creates it, and Docker
#     fills it from the image's data the first time it is mounted).
set -euo pipefail
cd "$FIREDRILL_WORKSPACE"

sed -i '/^    # port 80 inside the container; nothing is published yet\.$/a\
    ports:\
      - "127.0.0.1:${FD_APP_PORT}:80"' compose.yaml
sed -i '/^    # FD_API_PORT\. The proxy listens on 8080 inside the container; nothing is published yet\.$/a\
    ports:\
      - "127.0.0.1:${FD_API_PORT}:8080"' compose.yaml
sed -i '/^      # Give the API what it needs to reach the db service\.$/a\
      DB_HOST: db\
      DB_PASSWORD: billing-secret' compose.yaml
sed -i '/^    # the container the next time compose re-creates it\. Keep it in a volume instead\.$/a\
    volumes:\
      - db-data:/var/lib/mysql' compose.yaml
printf '\nvolumes:\n  db-data:\n' >> compose.yaml
sed -i 's|^\(        set \$backend \)http://127\.0\.0\.1:8000;|\1http://backend:8000;|' proxy/conf.d/billing.conf

# Every edit must have landed (a sed whose pattern did not match changes nothing).
grep -q '"127.0.0.1:${FD_APP_PORT}:80"' compose.yaml
grep -q '"127.0.0.1:${FD_API_PORT}:8080"' compose.yaml
grep -q 'DB_PASSWORD: billing-secret' compose.yaml
grep -q 'db-data:/var/lib/mysql' compose.yaml
grep -q 'set $backend http://backend:8000;' proxy/conf.d/billing.conf

docker-compose -p "firedrill-$FIREDRILL_RUN" config -q
started=$(date +%s)
docker-compose -p "firedrill-$FIREDRILL_RUN" up -d
# The re-created services take a moment to start (the database on its new volume):
# reload the web app and the API's health until both answer, as a person would (bounded).
for _ in $(seq 1 120); do
  app=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$FIREDRILL_URL_APP/" || true)
  body=$(curl -s --max-time 5 "$FIREDRILL_URL_API/api/health" || true)
  case "$app $body" in 200*'"connected"'*) break ;; esac
  sleep 1
done
echo "$(( $(date +%s) - started )) s after up: web app $app, health $body"
