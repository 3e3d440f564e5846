#!/usr/bin/env bash
# The image hot paths (issue #14): the baked PNG of one hosted assertion, the same with its ETag in
# If-None-Match (304), and the badge class image; /health/live of the same process as the reference
# (the cost of Kestrel and the middleware alone). wrk -t2 -c64, 3 s warm-up then 8 s per path.
# SQLite by default; EXTRA="Database__Provider=Postgres Database__ConnectionString=..." for PostgreSQL.
# Compare builds in one run by alternating them:
#   for b in /tmp/before .; do LABEL=$b API_DLL=$b/...Requapass.Badges.Api.dll bash benchmarks/images.sh; done
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
[ -n "${API_DLL:-}" ] || build_release
LABEL=${LABEL:-this build}
base="http://127.0.0.1:5095"; data=$(mktemp -d)
# The per-address image rate would answer 429 to a load test from one address.
start_service "$base" "$data" PublicTraffic__ImagesPerMinute=10000000 PublicTraffic__ConcurrentImages=10000 ${EXTRA:-}
trap 'stop_service; rm -rf "$data"' EXIT
token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
issuer=$(curl -sf "$base/api/v1/issuers" -H "authorization: Bearer $token" | jq -r '.[] | select(.isCatalogueOwner) | .id')
class=$(curl -sf "$base/api/v1/issuers/$issuer/badge-classes" -H "authorization: Bearer $token" | jq -r '.[0].id')
assertion=$(curl -sf -X POST "$base/api/v1/badge-classes/$class/assertions" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"recipient":{"type":"email","identity":"marie@example.org"},"verification":"hosted"}' | jq -r .id)
etag=$(curl -sf -o /dev/null -D - "$base/public/assertions/$assertion/image" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
cat > "$data/304.lua" <<LUA
wrk.headers["If-None-Match"] = '$etag'
LUA
run() { # NAME URL [wrk args]: prints one table row
  local name=$1 url=$2; shift 2
  wrk -t2 -c64 -d3s "$@" "$url" > /dev/null
  local out; out=$(wrk -t2 -c64 -d8s --latency "$@" "$url")
  local rps p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "| $LABEL | $name | $rps | $p99 | ${non2xx:-0} |"
}
run "/health/live" "$base/health/live"
run "baked PNG (200)" "$base/public/assertions/$assertion/image"
run "baked PNG, If-None-Match (304)" "$base/public/assertions/$assertion/image" -s "$data/304.lua"
run "class image (200)" "$base/public/badges/$class/image"
