#!/usr/bin/env bash
# Screenshots of the badge pages for docs/screenshots/: starts the service on a loopback port with a
# fresh SQLite database (Development keys, a throwaway admin), seeds badges through the management
# API (tests/browser/seed.mjs) and lets headless Chromium photograph each page
# (tests/browser/check-pages.mjs): the assertion page in FR/NL/EN at 1280 and 390 px, the revoked and
# expired states, the badge class page, the issuer page, a verification result, and the claim page
# (FR at 1280 and 390 px) with its result and error pages, a skills map's page and its start page,
# the award email and a progress grid. The same run
# checks the pages (axe-core, console, overflow) and fails if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/browser.sh
bash scripts/smtp.sh >/dev/null
port=${PORT:-5187}
smtp_port=${SMTP_PORT:-2526}
smtp_web=${SMTP_WEB_PORT:-5188}
work=$(mktemp -d)
secret=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
dotnet build src/Requapass.Badges.Api -c Release -nologo -v quiet >/dev/null

export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port"
export Service__PublicBaseUrl="http://127.0.0.1:$port" Service__DataDirectory="$work/data"
export Auth__BootstrapAdminClientId=screenshots Auth__BootstrapAdminClientSecret="$secret"
# The award emails go to a local smtp4dev, so that one can be photographed as received.
export Mail__Host=127.0.0.1 Mail__Port="$smtp_port" Mail__Security=None Mail__From=badges@requapass.example.org
dotnet tool run smtp4dev -- --smtpport="$smtp_port" --urls="http://127.0.0.1:$smtp_web" --bindaddress=127.0.0.1 \
  --db= --imapport= --pop3port= --tlsmode=None --hostname=localhost >"$work/smtp4dev.log" 2>&1 &
smtp=$!
dotnet run --project src/Requapass.Badges.Api -c Release --no-build --no-launch-profile >"$work/service.log" 2>&1 &
service=$!
trap 'kill "$service" "$smtp" 2>/dev/null; wait "$service" "$smtp" 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { cat "$work/service.log"; exit 1; }
  sleep 1
done

# A volunteer's skills map, started as a volunteer does (its link arrives by mail), with one experience.
base="http://127.0.0.1:$port"
curl -fs -X POST "$base/public/skills-maps" -H 'content-type: application/json' \
  -d '{"email":"camille.carte@example.org","locale":"fr","title":"Mon parcours associatif"}' >/dev/null
for _ in $(seq 1 30); do
  map_id=$(curl -fs "http://127.0.0.1:$smtp_web/api/messages?searchTerms=camille.carte&pageSize=10" | jq -r '.results[0].id // empty')
  [ -n "$map_id" ] && break
  sleep 1
done
[ -n "${map_id:-}" ] || { echo "No skills map link reached smtp4dev." >&2; exit 1; }
export MAP_TOKEN=$(curl -fs "http://127.0.0.1:$smtp_web/api/messages/$map_id/plaintext" | grep -o 'skills-maps/[A-Za-z0-9_-]\{43\}' | head -1 | cut -d/ -f2)
curl -fs -X POST "$base/public/skills-maps/$MAP_TOKEN/experiences" -H 'content-type: application/json' -d '{
  "association":"Restos du Cœur Roubaix","role":"Bénévole à l'"'"'accueil","contextWhat":"Accueil des familles et tenue du registre",
  "contextForWhom":"Les familles bénéficiaires","startedOn":"2024-09-01","hoursPerMonth":12,
  "narrative":"J'"'"'accueille chaque mardi une trentaine de familles.",
  "competences":[{"competence":"communication_orale","level":2,"example":"J'"'"'explique le fonctionnement aux nouvelles familles."},
                 {"competence":"travail_en_equipe","level":1}]}' >/dev/null

# Her level 1 of oral communication, so that her progress grid shows a badge held and the next step.
admin=$(curl -fs -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"clientId\":\"screenshots\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
owner=$(curl -fs "$base/api/v1/issuers" -H "authorization: Bearer $admin" | jq -r '.[] | select(.isCatalogueOwner) | .id')
oral1=$(curl -fs "$base/api/v1/issuers/$owner/badge-classes" -H "authorization: Bearer $admin" | jq -r '.[] | select(.catalogueCode=="COM-ORAL-N1") | .id')
curl -fs -X POST "$base/api/v1/badge-classes/$oral1/assertions" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
  -d '{"recipient":{"type":"email","identity":"camille.carte@example.org"},"notify":false}' >/dev/null

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

# The award email as received (its HTML part), for the volunteer the seed awarded a badge in French.
for _ in $(seq 1 30); do
  id=$(curl -fs "http://127.0.0.1:$smtp_web/api/messages?searchTerms=camille.benevole&pageSize=10" | jq -r '.results[0].id // empty')
  [ -n "$id" ] && break
  sleep 1
done
[ -n "${id:-}" ] || { echo "No award email reached smtp4dev." >&2; exit 1; }
curl -fs "http://127.0.0.1:$smtp_web/api/messages/$id/html" >"$work/mail.html"
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=760,740 \
  --screenshot="$PWD/docs/screenshots/email-fr.png" "file://$work/mail.html" >/dev/null 2>&1

# The volunteer's progress grid, as the SVG picture the API draws.
curl -fs "$base/public/recipients/progress?format=svg&lang=fr&token=$MAP_TOKEN" >"$work/progress.svg"
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,560 \
  --screenshot="$PWD/docs/screenshots/progress-fr.png" "file://$work/progress.svg" >/dev/null 2>&1
ls docs/screenshots
