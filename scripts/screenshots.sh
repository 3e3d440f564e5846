#!/usr/bin/env bash
# Screenshots of the badge pages for docs/screenshots/: starts the service on a loopback port with a
# fresh SQLite database (Development keys, a throwaway admin), seeds badges through the management
# API (tests/browser/seed.mjs) and lets headless Chromium photograph each page
# (tests/browser/check-pages.mjs): the assertion page in FR/NL/EN at 1280 and 390 px, the revoked and
# expired states, the badge class page, the issuer page, a verification result, and the claim page
# (FR at 1280 and 390 px) with its result and error pages. The same run
# checks the pages (axe-core, console, overflow) and fails if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/browser.sh
port=${PORT:-5187}
work=$(mktemp -d)
secret=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
dotnet build src/Requapass.Badges.Api -c Release -nologo -v quiet >/dev/null

export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port"
export Service__PublicBaseUrl="http://127.0.0.1:$port" Service__DataDirectory="$work/data"
export Auth__BootstrapAdminClientId=screenshots Auth__BootstrapAdminClientSecret="$secret"
dotnet run --project src/Requapass.Badges.Api -c Release --no-build --no-launch-profile >"$work/service.log" 2>&1 &
service=$!
trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log"; exit 1; }
  sleep 1
done

mkdir -p docs/screenshots
rm -f docs/screenshots/*.png
BASE_URL="http://127.0.0.1:$port" ADMIN_ID=screenshots ADMIN_SECRET="$secret" SCREENSHOT_DIR="$PWD/docs/screenshots" \
  node tests/browser/check-pages.mjs >"$work/report.json"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (r.fatal) { console.error(r.fatal); process.exit(1); }
const bad = r.pages.filter((p) => p.problems.length > 0);
for (const p of bad) console.error(`${p.name} @${p.width}${p.javaScript ? "" : " (no JS)"}: ${p.problems.join("; ")}`);
console.log(`${r.pages.length - bad.length} page checks passed, ${bad.length} failed`);
process.exit(bad.length > 0 ? 1 : 0);' "$work/report.json"
ls docs/screenshots
