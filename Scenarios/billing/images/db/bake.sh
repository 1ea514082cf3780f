#!/bin/sh
# Runs once, during `docker build`: starts MariaDB without networking, loads the
# schema, the account and the seed rows, then shuts it down cleanly so the data
# files are part of the image and a new instance boots with its data ready.
set -eu
cd /opt/billing-db
install -d -o mysql -g mysql /run/mysqld /var/log/mysql

# Build-only settings: nothing here needs crash safety, and a large buffer pool
# keeps the bulk insert in memory. The instance itself runs with the cnf files.
/usr/sbin/mariadbd --user=mysql --skip-networking \
    --innodb-buffer-pool-size=1G --innodb-flush-log-at-trx-commit=0 \
    --innodb-doublewrite=0 --slow-query-log=0 --log-error=/tmp/bake-mariadb.log &
pid=$!

i=0
until mysqladmin --silent ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 60 ]; then cat /tmp/bake-mariadb.log; exit 1; fi
    sleep 0.5
done

mysql < users.sql
mysql billing < schema.sql
start=$(date +%s)
mysql billing < seed.sql
echo "seed loaded in $(( $(date +%s) - start )) s"
mysql -e "SELECT COUNT(*) AS invoices FROM billing.invoices; SELECT COUNT(*) AS users FROM billing.users; ANALYZE TABLE billing.invoices, billing.users;"

mysqladmin shutdown
wait "$pid" || true
rm -f /tmp/bake-mariadb.log
: > /var/log/mysql/error.log
chown mysql:mysql /var/log/mysql/error.log
