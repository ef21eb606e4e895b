#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server.
#
#   scripts/with-postgres.sh CMD [ARG...]
#
# Starts PostgreSQL (Debian 12: 15) on 127.0.0.1 at a free port (55432 unless
# busy, or $MUNICLOUD_PG_PORT), as the `postgres` user, with a fresh data
# directory (trust auth, UTF8, C.UTF-8, fsync off), creates the database
# `municloud_test`, exports
#   MUNICLOUD_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/municloud_test
# runs CMD, then always stops the server and removes its temporary directories.
# Exits with CMD's status. Must be run as root (PostgreSQL refuses to run as
# root, so the server runs as `postgres` through runuser).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DB_NAME=municloud_test

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

(($# > 0)) || die "usage: $0 CMD [ARG...]"

if [[ $(id -u) -ne 0 ]]; then
    die "must be run as root (the server is started as the 'postgres' user via runuser); try: sudo $0 $*"
fi

find_pgbin() {
    local d
    while read -r d; do
        if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
            echo "$d"
            return 0
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV)
    local ctl
    if ctl=$(command -v pg_ctl 2>/dev/null); then
        for d in "$(dirname "$(readlink -f "$ctl")")" "$(dirname "$ctl")"; do
            if [[ -x $d/initdb && -x $d/postgres ]]; then
                echo "$d"
                return 0
            fi
        done
    fi
    return 1
}

if ! PGBIN=$(find_pgbin) || ! id -u postgres >/dev/null 2>&1; then
    "$here/install-system-packages.sh" postgres
    PGBIN=$(find_pgbin) || die "PostgreSQL binaries (initdb, pg_ctl, postgres) not found"
fi
id -u postgres >/dev/null 2>&1 || die "no 'postgres' user on this machine"

# Run a PostgreSQL binary as the postgres user, from a directory it can read.
as_pg() {
    (cd / && runuser -u postgres -- "$@")
}

DATA=""
SOCK=""
pgpid=""
cleanup() {
    local rc=$?
    set +e
    if [[ -n $pgpid ]] && kill -0 "$pgpid" 2>/dev/null; then
        if ! as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
            as_pg "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w -t 10 stop >/dev/null 2>&1
        fi
        # last resort: the postmaster's pid from its pid file
        if [[ -f $DATA/postmaster.pid ]]; then
            local pid
            pid=$(head -1 "$DATA/postmaster.pid" 2>/dev/null)
            [[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
        fi
    fi
    # reap runuser (and through it the postmaster): no zombie is left behind
    [[ -n $pgpid ]] && wait "$pgpid" 2>/dev/null
    [[ -n $DATA ]] && rm -rf "$DATA"
    [[ -n $SOCK ]] && rm -rf "$SOCK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

DATA=$(mktemp -d /tmp/municloud-pgdata.XXXXXX)
SOCK=$(mktemp -d /tmp/municloud-pgsock.XXXXXX)
chown postgres: "$DATA" "$SOCK"
chmod 700 "$DATA"

if ! as_pg "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N \
    >"$SOCK/initdb.log" 2>&1; then
    cat "$SOCK/initdb.log" >&2
    die "initdb failed"
fi

# Create the database in single-user mode: needs no client binaries or port.
if ! echo "CREATE DATABASE $DB_NAME;" |
    as_pg "$PGBIN/postgres" --single -D "$DATA" -c fsync=off postgres >"$SOCK/single.log" 2>&1; then
    cat "$SOCK/single.log" >&2
    die "could not create database $DB_NAME"
fi

# The server runs as a child of this script (not daemonized by pg_ctl), so that
# when it stops it is reaped here rather than left as a zombie for PID 1; in its
# own session, so that a Ctrl-C reaches the command but the shutdown is ours.
start_server() { # port -> 0 when ready; 1 when it exited (e.g. port taken)
    local port=$1 i st
    (cd / && exec setsid runuser -u postgres -- "$PGBIN/postgres" -D "$DATA" \
        -h 127.0.0.1 -p "$port" -k "$SOCK" -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c logging_collector=off) >"$LOG" 2>&1 </dev/null &
    pgpid=$!
    for i in $(seq 1 600); do # up to 60 s
        if ! kill -0 "$pgpid" 2>/dev/null; then
            wait "$pgpid" 2>/dev/null
            pgpid=""
            return 1
        fi
        # line 8 of postmaster.pid is the status, "ready" once it accepts connections
        st=$(sed -n 8p "$DATA/postmaster.pid" 2>/dev/null | tr -d ' ')
        [[ $st == ready ]] && return 0
        sleep 0.1
    done
    tail -n 30 "$LOG" >&2 || true
    die "PostgreSQL did not become ready in 60 s (binaries: $PGBIN)"
}

port_busy() {
    # something accepts connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port=${MUNICLOUD_PG_PORT:-55432}
LOG=$SOCK/server.log
ok=0
for _ in $(seq 1 50); do
    if port_busy "$port"; then
        port=$((port + 1))
        continue
    fi
    if start_server "$port"; then
        ok=1
        break
    fi
    if grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets' "$LOG"; then
        port=$((port + 1)) # lost a race for the port: try the next one
        continue
    fi
    tail -n 30 "$LOG" >&2 || true
    die "PostgreSQL failed to start (binaries: $PGBIN)"
done
((ok)) || die "no free port found from ${MUNICLOUD_PG_PORT:-55432} on"

export MUNICLOUD_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/$DB_NAME"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PGBIN)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
