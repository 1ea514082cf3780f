# The tutorial's wiring steps, shared by its fix and its wrong fixes: each edits the run's
# workspace (the current folder) as a trainee would, and checks that its edit landed (a sed
# whose pattern did not match changes nothing). Sourced, not run: prove runs fix.sh and wrong-*.sh.

publish_app() {
  sed -i '/^    # port 80 inside the container; nothing is published yet\.$/a\
    ports:\
      - "127.0.0.1:${FD_APP_PORT}:80"' compose.yaml
  grep -q '"127.0.0.1:${FD_APP_PORT}:80"' compose.yaml
}

publish_proxy() {
  sed -i '/^    # FD_API_PORT\. The proxy listens on 8080 inside the container; nothing is published yet\.$/a\
    ports:\
      - "127.0.0.1:${FD_API_PORT}:8080"' compose.yaml
  grep -q '"127.0.0.1:${FD_API_PORT}:8080"' compose.yaml
}

give_backend_the_db() {
  sed -i '/^      # Give the API what it needs to reach the db service\.$/a\
      DB_HOST: db\
      DB_PASSWORD: billing-secret' compose.yaml
  grep -q 'DB_PASSWORD: billing-secret' compose.yaml
}

keep_db_in_volume() {
  sed -i '/^    # the container the next time compose re-creates it\. Keep it in a volume instead\.$/a\
    volumes:\
      - db-data:/var/lib/mysql' compose.yaml
  printf '\nvolumes:\n  db-data:\n' >> compose.yaml
  grep -q 'db-data:/var/lib/mysql' compose.yaml
}

# The port the API listens on inside its container, read from gunicorn's settings.
api_port() {
  sed -n 's/^bind = "0\.0\.0\.0:\([0-9]*\)"$/\1/p' backend/app/gunicorn.conf.py
}

# The placeholder names the API's own port on the proxy's loopback: the right port, the wrong host.
point_proxy_at_backend() {
  sed -i 's|^\(        set \$backend \)http://127\.0\.0\.1:\([0-9]*\);|\1http://backend:\2;|' proxy/conf.d/billing.conf
  grep -q "set \$backend http://backend:$(api_port);" proxy/conf.d/billing.conf
}

# Applies the compose file under the run's project, then reloads the web app and the API's
# health until both answer, as a person would (bounded): the re-created services take a moment
# to start (the database on a new volume).
up_and_wait() {
  local started app body
  started=$(date +%s)
  docker-compose -p "firedrill-$FIREDRILL_RUN" up -d
  for _ in $(seq 1 120); do
    app=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$FIREDRILL_URL_APP/" || true)
    body=$(curl -s --max-time 5 "$FIREDRILL_URL_API/api/health" || true)
    case "$app $body" in 200*'"connected"'*) break ;; esac
    sleep 1
  done
  echo "$(( $(date +%s) - started )) s after up: web app $app, health $body"
}
