# Steps the level's fix and wrong fixes share, each acting as a trainee would and failing
# when its edit did not land. Sourced, not run: prove runs fix.sh and wrong-*.sh.

migrations="$FIREDRILL_WORKSPACE/backend/app/migrations"

# The index the release's migration dropped, and its column in the baseline schema:
# "$index" and "$column".
dropped_index() {
  index=$(sed -n 's/^ALTER TABLE invoices DROP INDEX \([a-z_]*\);$/\1/p' "$migrations"/0002_*.sql)
  column=$(sed -n "s/^ *KEY $index (\([a-z_]*\)).*/\1/p" "$migrations/0001_baseline.sql")
  [ -n "$index" ] && [ -n "$column" ]
}

db() { firedrill shell db --run "$FIREDRILL_RUN" -- "$@"; }

index_by_hand() {
  db mysql billing -e "CREATE INDEX $index ON invoices ($column)"
  index_exists "$index" "$column"
  search_settles
}

# Right after an index is built on a million rows the server is still busy with it: time the
# search (the level's request) until three in a row answer in under 20 ms, for at most 30 s.
search_settles() {
  local fast=0
  for _ in $(seq 1 60); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$FIREDRILL_URL_API$FIREDRILL_PARAM_RELEASE_PATH") || t=1
    if awk -v t="$t" 'BEGIN { exit !(t < 0.02) }'; then fast=$((fast + 1)); else fast=0; fi
    [ "$fast" -ge 3 ] && return 0
    sleep 0.5
  done
  echo "the search is still slow: $t s" >&2
}

# The database has index $1 on column $2.
index_exists() {
  db mysql -N -B billing -e "SHOW INDEX FROM invoices WHERE Key_name = '$1'" | grep -q "$2"
}

# A migration file in the app's code: name, SQL.
migration_file() {
  printf '%s\n' "$2" > "$migrations/$1.sql"
}

migrate() {
  firedrill shell backend --run "$FIREDRILL_RUN" -- python3 /srv/app/migrate.py "$@"
}
