#!/usr/bin/env bash
# Runs a command with a throw-away Redis server for the tests that need one (several app nodes, issue 12):
#   scripts/test-redis.sh dotnet test ...
# Starts Debian's redis-server (test.sh installs it when missing) on 127.0.0.1 on a free port, with its own
# temporary folder and no persistence, passes its address to the command as SCHOOLCRM_TEST_REDIS (host:port),
# and stops it and deletes the folder when the command ends, also when it fails or is interrupted.
# Exits with the command's exit code.
set -euo pipefail

redis_server=$(command -v redis-server || true)
if [[ -z $redis_server ]]; then
    echo "error: redis-server is missing (scripts/ensure-packages.sh redis-server:redis-server)" >&2
    exit 1
fi

folder=$(mktemp -d -t schoolcrm-redis.XXXXXX)
pid=""
stop() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$folder"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A random port in the dynamic range; redis-server exits at once when it is taken, and then another is tried.
for _ in $(seq 1 20); do
    port=$(( 49152 + RANDOM % 16000 ))
    "$redis_server" --bind 127.0.0.1 --port "$port" --dir "$folder" --save "" --appendonly no \
        --protected-mode yes --daemonize no --logfile "$folder/redis.log" &
    pid=$!
    for _ in $(seq 1 50); do
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        if grep -q "Ready to accept connections" "$folder/redis.log" 2>/dev/null; then
            break 2
        fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
    pid=""
done

if [[ -z $pid ]]; then
    echo "error: could not start redis-server on 127.0.0.1; its log:" >&2
    cat "$folder/redis.log" >&2 || true
    exit 1
fi

export SCHOOLCRM_TEST_REDIS="127.0.0.1:$port"
echo "==> redis-server $("$redis_server" --version | awk '{print $3}') on $SCHOOLCRM_TEST_REDIS (pid $pid)"
rc=0
"$@" || rc=$?
exit "$rc"
