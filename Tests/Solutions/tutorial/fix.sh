# Reference fix: wire the stack the way a trainee would, by editing the workspace's compose
# file and the proxy's config, then applying them with compose under the run's project name.
#   - the web app and the proxy publish their ports on 127.0.0.1 at the run's ports;
#   - the proxy forwards to the backend by its service name on the compose network;
#   - the backend gets the database's host and password in its environment;
#   - the database keeps /var/lib/mysql in a named volume (compose creates it, and Docker
#     fills it from the image's data the first time it is mounted).
set -euo pipefail
source "$(dirname "$0")/wiring.sh"
cd "$FIREDRILL_WORKSPACE"
publish_app
publish_proxy
give_backend_the_db
keep_db_in_volume
point_proxy_at_backend
docker-compose -p "firedrill-$FIREDRILL_RUN" config -q
up_and_wait
