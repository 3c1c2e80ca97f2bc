#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (its headless shell, tests/e2e/browser.ts) with
# playwright-core; CJK fonts make Chinese legible in screenshots. Installed through apt when missing
# (as root), never downloaded by Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

missing=()
have chromium-headless-shell || missing+=(chromium-headless-shell)
# grep without -q: with pipefail, grep -q leaving early fails fc-list with SIGPIPE, which read as
# "missing" and ran apt-get on every test run.
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi
