# Wrong fix: publish the backend's gunicorn straight on the API's port instead of wiring the
# proxy. API calls from curl work, but nothing goes through the proxy (its upload limit, its
# access log, its timeouts), and the proxy itself still forwards nowhere.
set -euo pipefail
cd "$FIREDRILL_WORKSPACE"
sed -i '/^    # port 80 inside the container; nothing is published yet\.$/a\
    ports:\
      - "127.0.0.1:${FD_APP_PORT}:80"' compose.yaml
sed -i '/^      # Give the API what it needs to reach the db service\.$/a\
      DB_HOST: db\
      DB_PASSWORD: billing-secret' compose.yaml
sed -i '/^      - \.\/backend\/supervisor:\/etc\/supervisor\/conf\.d$/a\
    ports:\
      - "127.0.0.1:${FD_API_PORT}:8000"' compose.yaml
sed -i '/^    # the container the next time compose re-creates it\. Keep it in a volume instead\.$/a\
    volumes:\
      - db-data:/var/lib/mysql' compose.yaml
printf '\nvolumes:\n  db-data:\n' >> compose.yaml
grep -q '"127.0.0.1:${FD_API_PORT}:8000"' compose.yaml
grep -q 'db-data:/var/lib/mysql' compose.yaml
docker-compose -p "firedrill-$FIREDRILL_RUN" up -d
for _ in $(seq 1 120); do
  app=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$FIREDRILL_URL_APP/" || true)
  body=$(curl -s --max-time 5 "$FIREDRILL_URL_API/api/health" || true)
  case "$app $body" in 200*'"connected"'*) break ;; esac
  sleep 1
done
echo "web app $app, health $body"
