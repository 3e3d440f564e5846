#!/usr/bin/env bash
# Makes sure the browser tests can run: Chromium from Debian packages (/usr/bin/chromium) and the
# pinned Node packages of tests/browser (puppeteer-core, axe-core; package-lock.json). Installs only
# what is missing. Used by scripts/test.sh (and so by .ci/run) and scripts/screenshots.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# Fonts: a fresh machine may have none, and pages would then render as empty boxes.
[ -n "$(ls /usr/share/fonts 2>/dev/null)" ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian packages..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci again only when the lock file changed since the last install (a copy is kept beside the packages).
if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.installed-lock.json; then
  echo "Installing the browser test packages (npm ci)..."
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json)
fi
echo "Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') and the browser test packages are ready."
