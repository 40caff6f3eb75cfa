#!/usr/bin/env bash
# Installs the Debian packages that run.sh and test.sh need when their command is missing:
#   scripts/ensure-packages.sh npm:nodejs,npm /usr/bin/chromium:chromium
# Each argument is "<command or absolute path>:<packages, comma separated>". Runs apt-get update first, as root
# (or with sudo); prints apt-get's log only when it fails.
set -euo pipefail

missing=()
for need in "$@"; do
    probe=${need%%:*}
    packages=${need#*:}
    if [[ $probe == /* ]]; then
        [[ -x $probe ]] && continue
    else
        command -v "$probe" >/dev/null 2>&1 && continue
    fi
    IFS=, read -r -a list <<<"$packages"
    missing+=("${list[@]}")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "==> installing Debian packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "error: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
apt_log=$(mktemp)
if ! { "${sudo[@]}" apt-get update -q &&
       "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    echo "error: could not install ${missing[*]}" >&2
    rm -f "$apt_log"
    exit 1
fi
rm -f "$apt_log"
