#!/usr/bin/env bash
# Hosted awards over keep-alive connections (wrk, 2 threads, 8 connections, 10 s after 5 s of warm-up):
# awards/s and the service's CPU per award (its own utime+stime only, from /proc). Needs wrk (Debian
# package). Compare builds in one run by alternating them:
#   for b in /path/to/old/checkout .; do LABEL=$b API_DLL=$b/src/Requapass.Badges.Api/bin/Release/net10.0/Requapass.Badges.Api.dll bash benchmarks/award-cpu.sh; done
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
[ -n "${API_DLL:-}" ] || build_release
LABEL=${LABEL:-this build}
base="http://127.0.0.1:5094"; data=$(mktemp -d)
start_service "$base" "$data" ${EXTRA:-}
trap 'stop_service; rm -rf "$data"' EXIT
token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
issuer=$(curl -sf "$base/api/v1/issuers" -H "authorization: Bearer $token" | jq -r '.[] | select(.isCatalogueOwner) | .id')
class=$(curl -sf "$base/api/v1/issuers/$issuer/badge-classes" -H "authorization: Bearer $token" | jq -r '.[0].id')
cat > "$data/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"recipient":{"type":"email","identity":"marie@example.org"},"verification":"hosted","narrative":"Accueil du public"}'
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $token"
LUA
wrk -t2 -c"${CONNECTIONS:-8}" -d5s -s "$data/post.lua" "$base/api/v1/badge-classes/$class/assertions" > /dev/null
ticks() { awk '{print $14 + $15}' /proc/$service/stat; }
t0=$(ticks)
out=$(wrk -t2 -c"${CONNECTIONS:-8}" -d10s -s "$data/post.lua" "$base/api/v1/badge-classes/$class/assertions")
t1=$(ticks)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}'); n=$(echo "$out" | awk '/requests in/ {print $1}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
echo "$LABEL: $rps awards/s, $(awk -v t=$((t1 - t0)) -v n="$n" 'BEGIN { printf "%.3f", t * 10 / n }') ms service CPU per award (${non2xx:-0} non-2xx)"
