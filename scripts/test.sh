#!/usr/bin/env bash
# Install everything the whole test suite needs, then run it. CI runs exactly this (.ci/run).
# Extra arguments go to pytest (e.g. `bash scripts/test.sh tests/models -q`).
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download cannot work offline, so it is never used).
if [ ! -x /usr/bin/chromium ]; then
    packages=(chromium fonts-dejavu-core fonts-liberation)
    if [ "$(id -u)" = 0 ]; then
        apt-get update -q && apt-get install -y -q --no-install-recommends "${packages[@]}"
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
    fi
fi
if [ ! -x /usr/bin/chromium ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "error: /usr/bin/chromium could not be installed; CI must run the browser tests" >&2
        exit 1
    fi
    echo "warning: no /usr/bin/chromium: the browser tests will be skipped" >&2
fi

python3 -m venv .venv
.venv/bin/pip install -q -e '.[dev]'
exec .venv/bin/python -m pytest "$@"
