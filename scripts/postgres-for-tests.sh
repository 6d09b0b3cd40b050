#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, in a directory of its own:
#
#   scripts/postgres-for-tests.sh start DIR    # initdb on first use, then start; prints nothing secret
#   scripts/postgres-for-tests.sh stop DIR     # pg_ctl stop -m fast; the data stays, `start DIR` resumes on the same port
#   scripts/postgres-for-tests.sh destroy DIR  # stop, then delete DIR (only a directory this script initialized)
#
# The server listens on 127.0.0.1 only, on a free port chosen at initdb (kept in DIR/port), and on a unix socket in
# DIR/socket. Its one role, llmspell_test, is a superuser with a random password (scram-sha-256 on every connection,
# local ones too), so tests can create a database each and can check the password never shows in any output.
# DIR/connection_string holds the Npgsql connection string (mode 0600); scripts/test.sh exports it as
# LLMSPELL_TEST_POSTGRES. As root the server runs as the `postgres` user (initdb refuses root), through runuser.
# fsync is off: the data is thrown away.
set -euo pipefail

usage() { echo "usage: $0 start|stop|destroy DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
command="$1"
dir="$2"
marker="$dir/.llmspell-postgres-for-tests"

pg_bin() {
  local found
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  echo "postgres-for-tests: PostgreSQL's server binaries (initdb, pg_ctl) are not installed; install them with" \
       "\`sudo apt-get install -y postgresql\` (scripts/test.sh does), or point PG_BIN at their directory." >&2
  exit 1
}

# Runs a server binary as the user that owns the data: postgres when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

init() {
  local bin="$1" password
  mkdir -p "$dir"
  if [ -n "$(ls -A "$dir")" ]; then
    echo "postgres-for-tests: $dir is not empty and was not initialized by this script; give it an empty or new directory." >&2
    exit 1
  fi
  touch "$marker"
  mkdir -m 0700 "$dir/data" "$dir/socket"
  password="$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
  (umask 077; printf '%s\n' "$password" > "$dir/pwfile")
  free_port > "$dir/port"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres-for-tests: running as root needs the postgres user (the postgresql package creates it)." >&2; exit 1; }
    chown -R postgres: "$dir"
    # The server must reach DIR from its parent: a private parent (mode 0700) is opened to others' traversal only.
    local parent; parent="$(dirname "$(readlink -f "$dir")")"
    runuser -u postgres -- test -x "$parent" || { echo "postgres-for-tests: the postgres user cannot enter $parent; use a directory under /tmp." >&2; exit 1; }
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U llmspell_test --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner rm -f "$dir/pwfile"
  cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $(cat "$dir/port")
unix_socket_directories = '$dir/socket'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # The connection string is written by us (not the server user) so the tests, whoever runs them, can read it.
  (umask 077; printf 'Host=127.0.0.1;Port=%s;Username=llmspell_test;Password=%s;Database=postgres\n' "$(cat "$dir/port")" "$password" > "$dir/connection_string.tmp")
  mv "$dir/connection_string.tmp" "$dir/connection_string"
}

start() {
  local bin; bin="$(pg_bin)"
  [ -f "$dir/data/PG_VERSION" ] || init "$bin"
  if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then return 0; fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 start >/dev/null; then
    echo "postgres-for-tests: the server in $dir did not start; its log:" >&2
    cat "$dir/data/server.log" >&2 || true
    exit 1
  fi
  echo "postgres-for-tests: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$(cat "$dir/port") (data in $dir)"
}

stop() {
  [ -f "$dir/data/PG_VERSION" ] || return 0
  local bin; bin="$(pg_bin)"
  if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
  fi
}

case "$command" in
  start) start ;;
  stop) stop ;;
  destroy)
    [ -d "$dir" ] || exit 0
    if [ -z "$(ls -A "$dir")" ]; then rmdir "$dir"; exit 0; fi
    [ -f "$marker" ] || { echo "postgres-for-tests: $dir was not made by this script; not deleting it." >&2; exit 1; }
    stop
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
