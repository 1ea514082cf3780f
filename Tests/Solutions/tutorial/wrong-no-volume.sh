# Partial fix: everything is wired except the database's volume. The app works, and even a
# restart of db keeps the data (a restart keeps the container's filesystem), but the next
# time compose re-creates the db container, the data written since the image was built is gone.
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
sed -i 's|^\(        set \$backend \)http://127\.0\.0\.1:8000;|\1http://backend:8000;|' proxy/conf.d/billing.conf
grep -q '"127.0.0.1:${FD_API_PORT}:8080"' compose.yaml
grep -q 'set $backend http://backend:8000;' proxy/conf.d/billing.conf
docker-compose -p "firedrill-$FIREDRILL_RUN" up -d
for _ in $(seq 1 120); do
  app=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$FIREDRILL_URL_APP/" || true)
  body=$(curl -s --max-time 5 "$FIREDRILL_URL_API/api/health" || true)
  case "$app $body" in 200*'"connected"'*) break ;; esac
  sleep 1
done
echo "web app $app, health $body"
