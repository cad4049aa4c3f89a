# Sourced by deploy/local/up.sh (functions only): the PostgreSQL + PostGIS cluster in .local/pg:
# creating it once, starting it and creating the fleetline database.
# Reads up.sh's PG_BIN and PORT.
# shellcheck shell=bash

start_postgres() {
  mkdir -p "$PG_DIR"
  if [[ $EUID -eq 0 ]]; then
    chown postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR"
    as_pg test -w "$PG_DIR" 2>/dev/null ||
      die "the postgres user cannot reach $PG_DIR; make its parent directories traversable (chmod o+x)"
  fi

  if [[ ! -f $PG_DIR/.initdb-done ]]; then
    # No marker: never initialised, or initdb was interrupted. Either way, start from scratch.
    rm -rf "$PG_DATA"
    say "creating a PostgreSQL cluster in ${PG_DATA#"$REPO_DIR"/}"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C \
      >"$LOG_DIR/postgres-initdb.log" 2>&1 ||
      { cat "$LOG_DIR/postgres-initdb.log" >&2; die "initdb failed"; }
    # Loopback TCP only, no Unix socket (no /var/run/postgresql needed); the port is given at start.
    as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<'EOF'

# Added by deploy/local/up.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
EOF
    touch "$PG_DIR/.initdb-done"
  fi

  # After a crash, postmaster.pid may name a pid that another process has since taken, which
  # would make PostgreSQL refuse to start.
  if [[ -f $PG_DATA/postmaster.pid ]] && ! is_running postgres; then
    rm -f "$PG_DATA/postmaster.pid"
  fi

  local log="$LOG_DIR/postgres.log"
  rotate_log "$log"
  [[ $EUID -ne 0 ]] || chown postgres:postgres "$log"
  say "starting PostgreSQL on 127.0.0.1:${PORT[pg]}"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p ${PORT[pg]}" -l "$log" -w -t 60 start >/dev/null 9>&- ||
    fail_component postgres "PostgreSQL did not start"
  head -n 1 "$PG_DATA/postmaster.pid" >"$PID_DIR/postgres.pid"

  local exists
  exists="$("$PG_BIN/psql" -h 127.0.0.1 -p "${PORT[pg]}" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = 'fleetline'")" || die "cannot connect to PostgreSQL"
  if [[ -z $exists ]]; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "${PORT[pg]}" -U postgres fleetline ||
      die "cannot create database fleetline"
  fi
}
