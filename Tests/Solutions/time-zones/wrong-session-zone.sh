# fails: fix-survives-restarts
# Partial fix: the database server is switched to the app's zone at run time (its zone
# tables loaded first: an offset cannot go past +13:00). New users get the app's date,
# until the server restarts and is back on its own zone.
set -euo pipefail
zone=$(firedrill shell backend --run "$FIREDRILL_RUN" -- printenv TZ)
firedrill shell db --run "$FIREDRILL_RUN" -- sh -c \
  "mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | mysql mysql && mysql -e \"SET GLOBAL time_zone = '$zone'\""
[ "$(firedrill shell db --run "$FIREDRILL_RUN" -- mysql -N -e 'SELECT @@global.time_zone')" = "$zone" ]
