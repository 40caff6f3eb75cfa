#!/usr/bin/env bash
# Runs the app: installs Debian's nodejs and npm when missing (the build installs the browser's SignalR client
# from npm), then restores, builds, creates and migrates data/schoolcrm.db, bootstraps the first admin and serves
# http://127.0.0.1:5000 (Production). Extra arguments go to the app (e.g. `./run.sh seed-demo --leads 1000`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/ensure-packages.sh npm:nodejs,npm
exec dotnet run --project SchoolCrm.Web -c Release -- "$@"
