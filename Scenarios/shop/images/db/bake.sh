#!/bin/sh
# Runs once, during `docker build`: configures the clusters, loads the schema and the seed rows
# into the primary (main), takes the replica's base backup with pg_basebackup, and shuts the
# primary down cleanly so that both data directories are part of the image.
set -eu
cd /opt/shop-db
etc=/etc/postgresql/15
/etc/boot.d/10-pg-dirs

cat > $etc/main/conf.d/shop.conf <<CONF
# The shop's settings (read after postgresql.conf).
listen_addresses = '*'
max_connections = 100
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
logging_collector = on
log_directory = '/var/log/postgresql'
log_filename = 'postgresql-15-main.log'
log_line_prefix = '%m [%p] %q%u@%d '
CONF
cat >> $etc/main/pg_hba.conf <<HBA
# The shop: the app's account from the other instances, and the replica's streaming.
host    shop            shop            0.0.0.0/0               scram-sha-256
host    replication     replicator      0.0.0.0/0               scram-sha-256
HBA
# root of the instance may log in as postgres over the socket.
sed -i 's/^local\( \+\)all\( \+\)postgres\( \+\)peer$/local\1all\2postgres\3peer map=admins/' $etc/main/pg_hba.conf
printf 'admins  root      postgres\nadmins  postgres  postgres\n' >> $etc/main/pg_ident.conf

su postgres -c "pg_ctl -D /var/lib/postgresql/15/main -o '-c config_file=$etc/main/postgresql.conf -c listen_addresses=127.0.0.1 -c logging_collector=off' -l /tmp/bake-pg.log -w start"
psql -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE shop LOGIN PASSWORD 'shop-secret'" \
    -c "CREATE ROLE replicator LOGIN REPLICATION PASSWORD 'replicator-secret'" \
    -c "CREATE DATABASE shop OWNER shop"
psql -v ON_ERROR_STOP=1 -q -f schema.sql
start=$(date +%s)
psql -v ON_ERROR_STOP=1 -q -f seed.sql
echo "seed loaded in $(( $(date +%s) - start )) s"
psql -c "SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM orders) AS orders"

# The replica's base backup, with a slot that keeps the WAL it needs until it streams.
PGPASSWORD=replicator-secret su postgres -c "pg_basebackup -h 127.0.0.1 -U replicator -D /var/lib/postgresql/15/replica -X stream -c fast -C -S replica"
su postgres -c "pg_ctl -D /var/lib/postgresql/15/main -m fast -w stop"
rm -f /tmp/bake-pg.log

# The replica's cluster: the same settings, its own data directory, and where it streams from.
cp -a $etc/main $etc/replica
sed -i "s|/15/main|/15/replica|g; s|15-main|15-replica|g; s|^cluster_name = .*|cluster_name = '15/replica'|" \
    $etc/replica/postgresql.conf $etc/replica/conf.d/shop.conf
cat > $etc/replica/conf.d/standby.conf <<CONF
# A hot standby of db: it replays what db streams and answers reads.
primary_conninfo = 'host=db port=5432 user=replicator password=replicator-secret application_name=replica'
primary_slot_name = 'replica'
CONF
touch /var/lib/postgresql/15/replica/standby.signal
chown -R postgres:postgres $etc /var/lib/postgresql/15/replica

# Started once as a standby (it replays the backup's WAL alone) and shut down cleanly: a new
# replica instance then starts without the crash recovery's fsync of every file.
su postgres -c "pg_ctl -D /var/lib/postgresql/15/replica -o '-c config_file=$etc/replica/postgresql.conf -c listen_addresses= -c logging_collector=off' -l /tmp/bake-replica.log -w start"
su postgres -c "pg_ctl -D /var/lib/postgresql/15/replica -m fast -w stop"
rm -f /tmp/bake-replica.log
