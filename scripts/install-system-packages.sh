#!/usr/bin/env bash
# Install the Debian packages a group of project tasks needs, only when missing.
#
#   scripts/install-system-packages.sh [GROUP...]     (default group: base)
#
# Groups:
#   base      python3 python3-venv ca-certificates curl jq (the README's API examples)
#   postgres  postgresql (Debian 12: PostgreSQL 15) -- checked by its binaries
#   fonts     fonts-ipamj-mincho fonts-ipaexfont poppler-utils fontconfig
#   browser   chromium
#
# Checks with dpkg -s (postgres: initdb/pg_ctl/postgres binaries) first, runs
# `apt-get update -qq` only when something is missing. Needs root to install.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
}

# Directory holding initdb, pg_ctl and postgres: /usr/lib/postgresql/<highest>/bin,
# else the directory of `command -v pg_ctl`. Prints nothing and fails if none.
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
        d=$(dirname "$(readlink -f "$ctl")")
        if [[ -x $d/initdb && -x $d/postgres ]]; then
            echo "$d"
            return 0
        fi
        d=$(dirname "$ctl")
        if [[ -x $d/initdb && -x $d/postgres ]]; then
            echo "$d"
            return 0
        fi
    fi
    return 1
}

pkg_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

group_packages() {
    case $1 in
        base) echo python3 python3-venv ca-certificates curl jq ;;
        postgres) echo postgresql ;;
        fonts) echo fonts-ipamj-mincho fonts-ipaexfont poppler-utils fontconfig ;;
        browser) echo chromium ;;
        *) return 1 ;;
    esac
}

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    usage
    exit 0
fi
(($# > 0)) || set -- base

missing=()
for group in "$@"; do
    if ! pkgs=$(group_packages "$group"); then
        echo "install-system-packages: unknown group '$group' (known: base postgres fonts browser)" >&2
        exit 2
    fi
    if [[ $group == postgres ]]; then
        # What matters is the server binaries (and the postgres user to run them),
        # not which package brought them.
        if find_pgbin >/dev/null && id -u postgres >/dev/null 2>&1; then
            continue
        fi
        missing+=(postgresql)
        continue
    fi
    for p in $pkgs; do
        pkg_installed "$p" || missing+=("$p")
    done
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

# de-duplicate, keep order
declare -A seen=()
uniq=()
for p in "${missing[@]}"; do
    [[ -n ${seen[$p]:-} ]] && continue
    seen[$p]=1
    uniq+=("$p")
done

if [[ $(id -u) -ne 0 ]]; then
    echo "install-system-packages: missing Debian packages: ${uniq[*]}" >&2
    echo "install-system-packages: not root, cannot install them. Run as root:" >&2
    echo "    sudo $0 $*" >&2
    echo "or: sudo apt-get install --no-install-recommends ${uniq[*]}" >&2
    exit 1
fi

echo "install-system-packages: installing ${uniq[*]}" >&2
start=$SECONDS
apt_opts=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
apt-get "${apt_opts[@]}" update -qq
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${uniq[@]}" >/dev/null
echo "install-system-packages: done in $((SECONDS - start)) s" >&2

if [[ " ${uniq[*]} " == *" postgresql "* ]]; then
    if ! find_pgbin >/dev/null; then
        echo "install-system-packages: postgresql installed but initdb/pg_ctl/postgres not found" >&2
        exit 1
    fi
fi
