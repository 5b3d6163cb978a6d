#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster, no systemd. Usage: pg_start.sh [BASE_DIR]
# env: PG_PORT (55432), PG_DB (tradewind), PG_USER (tradewind), PG_PASS (tradewind), PG_FSYNC (on|off, default on)
set -euo pipefail
BASE=${1:-/tmp/pg-${PG_PORT:-55432}}
PORT=${PG_PORT:-55432}; DB=${PG_DB:-tradewind}; USR=${PG_USER:-tradewind}; PASS=${PG_PASS:-tradewind}
BIN=/usr/lib/postgresql/15/bin
AS_PG="runuser -u postgres --"          # initdb/postgres refuse to run as root
mkdir -p "$BASE"; chown postgres:postgres "$BASE"; chmod 700 "$BASE"
if [ ! -f "$BASE/data/PG_VERSION" ]; then
  $AS_PG $BIN/initdb -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$BASE/initdb.log"
  cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
fsync = ${PG_FSYNC:-on}
CONF
fi
$AS_PG $BIN/pg_ctl -D "$BASE/data" -l "$BASE/server.log" -w -t 60 start >/dev/null
$AS_PG $BIN/psql -h "$BASE" -p "$PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 <<SQL
SELECT 'CREATE ROLE $USR LOGIN PASSWORD ''$PASS''' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='$USR')\gexec
SELECT 'CREATE DATABASE $DB OWNER $USR' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname='$DB')\gexec
SQL
echo "postgres up: postgresql://$USR:$PASS@127.0.0.1:$PORT/$DB (pid $(head -1 "$BASE/data/postmaster.pid"), base $BASE)"
