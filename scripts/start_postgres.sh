#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the tests and print its URL on stdout:
#   export EVENTLEDGER_TEST_PG_URL="$(bash scripts/start_postgres.sh)"
# Installs Debian's postgresql package when no server binaries are found. The
# cluster lives in a temporary folder (EVENTLEDGER_PG_DIR to choose one),
# listens on 127.0.0.1 and a Unix socket in that folder, trusts local
# connections, and runs with fsync off: for tests, never for data.
# Stop it with: pg_ctl -D "$EVENTLEDGER_PG_DIR/data" stop (run as the postgres user when root).
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "installing postgresql (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN="$(find_bin)"
fi

DIR="${EVENTLEDGER_PG_DIR:-$(mktemp -d /tmp/eventledger-pg.XXXXXX)}"
mkdir -p "$DIR"
PORT="${EVENTLEDGER_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
DB="${EVENTLEDGER_PG_DB:-eventledger_test}"

# initdb refuses to run as root: run the server as the postgres user then.
RUN=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$DIR"
    chmod 700 "$DIR"
    RUN=(runuser -u postgres --)
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
    "${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
fi
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$DIR/server.log" >&2; exit 1; }
"${RUN[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qAt \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
    || "${RUN[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
