#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests, on 127.0.0.1 with a free port and a data folder of its own:
#   scripts/test-postgres.sh start FOLDER   # initdb + start; prints the connection string (no database name)
#   scripts/test-postgres.sh stop FOLDER    # stops the server and deletes FOLDER
# Uses Debian's postgresql package (test.sh installs it when missing). PostgreSQL refuses to run as root, so as
# root the server runs as the "postgres" user the package creates. Trust authentication on loopback only: the
# server holds test data and lives as long as one test run.
set -euo pipefail

action=${1:?start or stop}
folder=${2:?data folder}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n $bindir && -x $bindir/pg_ctl ]] || { echo "error: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case $action in
start)
    mkdir -p "$folder"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$folder"
    as_server_user "$bindir/initdb" -D "$folder/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 ||
        { cat "$folder/initdb.log" >&2; exit 1; }
    # A port nobody listens on; should another process take it before the server binds, try the next one.
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$(( 20000 + RANDOM % 40000 ))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        # Durability is pointless for a throw-away server; the test classes run in parallel, each with its pool.
        if as_server_user "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$folder' -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null; then
            echo "Host=127.0.0.1;Port=$port;Username=postgres"
            exit 0
        fi
    done
    cat "$folder/server.log" >&2
    echo "error: could not start PostgreSQL" >&2
    exit 1
    ;;
stop)
    if [[ -f $folder/data/postmaster.pid ]]; then
        as_server_user "$bindir/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
    ;;
*)
    echo "usage: $0 start|stop FOLDER" >&2
    exit 2
    ;;
esac
