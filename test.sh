#!/usr/bin/env bash
# Runs every SchoolCrm test: unit, integration (in-memory host) and end-to-end (Chromium against Kestrel), then the
# tests that touch the database a second time on PostgreSQL (a throw-away server this script starts and stops).
#
#   ./test.sh                                   # everything
#   ./test.sh --filter "FullyQualifiedName~Leads"   # extra arguments go to `dotnet test`
#
# Needs the .NET SDK; installs Debian's chromium, nodejs, npm and postgresql with apt-get when missing (run as root or
# with sudo). Playwright never downloads a browser. TRX results go to ./TestResults (emptied first). The last line
# printed is always "N passed, N failed, N skipped", counted from the per-test outcomes in the TRX files of both runs. Exits
# non-zero when the build fails, a test fails, `dotnet test` fails, or no test ran at all.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

solution=SchoolCrm.Blazor.sln
results_dir="$PWD/TestResults"
chromium=/usr/bin/chromium

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Screenshots of browser tests that fail (see SharedBrowser.ArtifactsFolder).
export SCHOOLCRM_TEST_ARTIFACTS="$results_dir/artifacts"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

# Debian's chromium for the browser tests, nodejs and npm for the build (the browser's SignalR client comes from npm),
# postgresql for the second run (its server is started below, on a free port with a folder of its own).
scripts/ensure-packages.sh "$chromium:chromium" npm:nodejs,npm /usr/lib/postgresql:postgresql
# A throw-away Redis for the tests of several app nodes (scripts/test-redis.sh starts and stops it).
scripts/ensure-packages.sh redis-server:redis-server
"$chromium" --version 2>/dev/null || true

echo "==> dotnet restore"
dotnet restore "$solution"

echo "==> dotnet build (Debug)"
dotnet build "$solution" -c Debug --no-restore

# A throw-away PostgreSQL server for the second run; stopped (and its folder deleted) on any exit, also when a test
# fails or the run is interrupted.
postgres_folder=$(mktemp -d /tmp/schoolcrm-postgres.XXXXXX)
chmod 755 "$postgres_folder"
trap 'scripts/test-postgres.sh stop "$postgres_folder"' EXIT
echo "==> starting PostgreSQL"
SCHOOLCRM_TEST_POSTGRES=$(scripts/test-postgres.sh start "$postgres_folder")
export SCHOOLCRM_TEST_POSTGRES

echo "==> dotnet test $*"
rm -rf "$results_dir"
test_rc=0
# With LogFilePrefix the TRX logger names each file results_<framework>_<timestamp>.trx rather than one fixed
# name that every test project would write to; all *.trx files in the folder are read. A test host that hangs is killed after 15 minutes instead of stalling CI forever.
scripts/test-redis.sh dotnet test "$solution" -c Debug --no-build \
    --results-directory "$results_dir" \
    --logger "trx;LogFilePrefix=results" \
    --blame-hang-timeout 15m --blame-hang-dump-type none \
    "$@" || test_rc=$?

# The second run: every test that touches the database (integration tests under Features/, Data/, Hosting/, the
# component tests under Components/, most of which render over the real app, and the browser tests under EndToEnd/)
# again on PostgreSQL, each app factory with a database of its own; tests about SQLite itself carry the SqliteOnly trait.
# An extra --filter given to this script narrows both runs.
postgres_filter="(FullyQualifiedName~SchoolCrm.Tests.Features|FullyQualifiedName~SchoolCrm.Tests.Data|FullyQualifiedName~SchoolCrm.Tests.Hosting|FullyQualifiedName~SchoolCrm.Tests.Components|FullyQualifiedName~SchoolCrm.Tests.EndToEnd)&Database!=SqliteOnly"
extra=()
args=("$@")
i=0
while (( i < ${#args[@]} )); do
    if [[ ${args[$i]} == --filter && $(( i + 1 )) -lt ${#args[@]} ]]; then
        postgres_filter="($postgres_filter)&(${args[$(( i + 1 ))]})"
        i=$(( i + 2 ))
    else
        extra+=("${args[$i]}")
        i=$(( i + 1 ))
    fi
done
echo "==> dotnet test on PostgreSQL ($postgres_filter)"
SCHOOLCRM_TEST_DATABASE=PostgreSql scripts/test-redis.sh dotnet test SchoolCrm.Tests -c Debug --no-build \
    --results-directory "$results_dir/postgresql" \
    --logger "trx;LogFilePrefix=postgresql" \
    --blame-hang-timeout 15m --blame-hang-dump-type none \
    --filter "$postgres_filter" \
    ${extra[@]+"${extra[@]}"} || test_rc=$?

trx_files=()
if [[ -d "$results_dir" ]]; then
    while IFS= read -r -d '' file; do
        trx_files+=("$file")
    done < <(find "$results_dir" -name '*.trx' -print0 | sort -z)
fi

# Counted from the per-test outcomes (<UnitTestResult ... outcome="...">), not from the TRX summary counters.
# Passed -> passed; NotExecuted (xunit Skip) / Inconclusive -> skipped; anything else (Failed, Error, Timeout,
# Aborted, ...) -> failed. Failed tests are listed with the first line of their error message, run-level errors
# (a crashed test host) with theirs.
# Plain awk (mawk on Debian), no python: the writer puts each start tag with all its attributes on one line.
summary=$(awk '
    function attr(tag, name,   m) {
        if (match(tag, " " name "=\"[^\"]*\"")) {
            m = substr(tag, RSTART, RLENGTH)
            sub("^ " name "=\"", "", m)
            sub("\"$", "", m)
            return m
        }
        return ""
    }
    function unxml(s) {
        gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
        gsub(/&#x[dD];/, "", s); gsub(/&#x[aA];/, " ", s); gsub(/&amp;/, "\\&", s)
        return s
    }
    /<UnitTestResult[ >]/ {
        name = unxml(attr($0, "testName")); outcome = attr($0, "outcome")
        if (FILENAME ~ /\/postgresql\//) name = name " (on PostgreSQL)"
        want_message = 0; in_message = 0
        if (outcome == "Passed") passed++
        else if (outcome == "NotExecuted" || outcome == "Inconclusive") skipped++
        else {
            failed++
            names[failed] = name " [" outcome "]"
            want_message = 1
        }
        if ($0 ~ /\/>[ \t\r]*$/) want_message = 0
        next
    }
    # The message may start on the <Message> line or on the next one; keep its first non-blank line.
    function take(text,   closing) {
        closing = sub(/<\/Message>.*/, "", text)
        gsub(/^[ \t\r]+|[ \t\r]+$/, "", text)
        if (text != "") {
            text = unxml(text)
            if (length(text) > 300) text = substr(text, 1, 300) "..."
            messages[failed] = text
            want_message = 0; in_message = 0
        } else if (closing) {
            want_message = 0; in_message = 0
        }
    }
    want_message && in_message { take($0); next }
    want_message && /<Message>/ { in_message = 1; text = $0; sub(/.*<Message>/, "", text); take(text); next }
    /<\/UnitTestResult>/ { want_message = 0; in_message = 0 }
    # Run-level errors, e.g. "The active test run was aborted. Reason: Test host process crashed".
    /<RunInfo[ >]/ { want_run_error = (attr($0, "outcome") == "Error"); next }
    want_run_error && /<Text>/ {
        text = $0; sub(/.*<Text>/, "", text); sub(/<\/Text>.*/, "", text)
        # xunit also logs each failing test here as "[xUnit.net ...] Name [FAIL]"; those are listed below anyway.
        if (text !~ /^\[xUnit\.net /) run_errors[++run_error_count] = unxml(text)
        want_run_error = 0
    }
    END {
        for (i = 1; i <= run_error_count; i++) print "RUN ERROR  " run_errors[i]
        for (i = 1; i <= failed; i++) {
            print "FAILED  " names[i]
            if (messages[i] != "") print "        " messages[i]
        }
        printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
    }
' ${trx_files[@]+"${trx_files[@]}"} </dev/null)

counts=$(tail -n 1 <<<"$summary")
failure_lines=$(sed '$d' <<<"$summary")
read -r passed _ failed _ skipped _ <<<"$counts"

echo
echo "==> Results (${#trx_files[@]} TRX file(s) in $results_dir)"
status=0
if [[ -n "$failure_lines" ]]; then
    echo "$failure_lines"
fi
if (( failed > 0 )); then
    status=1
fi
if (( passed + failed + skipped == 0 )); then
    echo "No test ran (check the build output and any --filter)."
    status=1
fi
if (( test_rc != 0 )); then
    echo "dotnet test exited with code $test_rc."
    status=1
fi
echo "$counts"
exit "$status"
