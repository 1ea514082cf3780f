# fails: data-on-a-volume
# Partial fix: everything is wired except the database's volume. The app works, and even a
# restart of db keeps the data (a restart keeps the container's filesystem), but the next
# time compose re-creates the db container, the data written since the image was built is gone.
set -euo pipefail
source "$(dirname "$0")/wiring.sh"
cd "$FIREDRILL_WORKSPACE"
publish_app
publish_proxy
give_backend_the_db
point_proxy_at_backend
up_and_wait
