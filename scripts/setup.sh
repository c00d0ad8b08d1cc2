#!/usr/bin/env bash
# Installs what the portal needs on Debian (bookworm) with Python 3.11: the system
# libraries WeasyPrint and python-magic load, the CJK fonts every letter is set in,
# Chromium for the browser tests, and a virtualenv with the pinned Python packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
    fonts-noto-cjk          # every Chinese glyph; without it each character is a box
    libharfbuzz-subset0     # font subsetting; without it a letter takes ~14 s instead of ~0.4 s
    libpango-1.0-0 libpangoft2-1.0-0
    libmagic1               # upload type sniffing by content
    poppler-utils           # pdftoppm: look at issued PDFs as pictures
)
if [[ "${WITH_BROWSER:-0}" == 1 ]]; then
    DEBIAN_PACKAGES+=(chromium)   # Debian's Chromium drives the Playwright tests; no browser download
fi
if [[ "${WITH_SERVICES:-0}" == 1 ]]; then
    DEBIAN_PACKAGES+=(postgresql redis-server)
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
    [[ "$package" == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if (( ${#missing[@]} )); then
    echo "安装系统软件包：${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "需要 root 权限安装：apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet -r requirements-dev.txt
    echo "$wanted" > "$stamp"
fi
