#!/usr/bin/env bash
# Install everything the tests need, then run them. The README's test command.
# Chromium comes from Debian's packages (root here); Playwright uses it directly.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
fi

python -m pip install --quiet --disable-pip-version-check -e '.[test]'
export NO_MKDOCS_2_WARNING=1
python -m ruff check .
# one worker per core, at most four: the builds and the browser tests are CPU-bound, and each
# worker makes its own session fixtures (the demo sites, Chromium)
python -m pytest --numprocesses auto --maxprocesses 4 "$@"
