#!/usr/bin/env bash
# Issue #10: the service's memory while anonymous callers export one large badge in parallel.
# Awards one badge as large as the limits allow (or larger, for an older build without them), then
# sends PARALLEL anonymous GET /public/assertions/{id}/export at once, ROUNDS times, and reports the
# answers and the service's resident memory (VmRSS) before, at its peak (VmHWM) and after.
#   bash benchmarks/anonymous-exports.sh [PARALLEL=200] [ROUNDS=1] [EVIDENCE_NARRATIVE_CHARS=4000]
# API_DLL=path/to/Requapass.Badges.Api.dll measures another build (e.g. the commit before #10).
# The per-address export rate is raised so that the cap on exports in flight, not the rate, is what
# the parallel callers meet (as 200 different visitors would).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
parallel=${1:-200}; rounds=${2:-1}; evidence_chars=${3:-4000}; base="http://127.0.0.1:5097"
[ -n "${API_DLL:-}" ] || build_release
trap stop_service EXIT
data=$(mktemp -d)
start_service "$base" "$data" PublicTraffic__ExportsPerMinute=1000000 Verification__RequestsPerMinute=1000000

token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
issuer=$(curl -sf "$base/api/v1/issuers" -H "authorization: Bearer $token" | jq -r '.[] | select(.isCatalogueOwner) | .id')
class=$(curl -sf "$base/api/v1/issuers/$issuer/badge-classes" -H "authorization: Bearer $token" | jq -r '.[0].id')
body=$(mktemp)
python3 - "$evidence_chars" > "$body" <<'PY'
import json, sys
n = int(sys.argv[1])
text = lambda k: ("Accueil du public, orientation et écoute. " * (k // 42 + 1))[:k]
print(json.dumps({
    "recipient": {"type": "email", "identity": "grand.badge@example.org"},
    "narrative": text(20000),
    "evidence": [{"narrative": text(n), "name": text(200), "description": text(4000)} for _ in range(20)],
}, ensure_ascii=False))
PY
award=$(curl -s -X POST "$base/api/v1/badge-classes/$class/assertions" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' --data-binary @"$body")
id=$(echo "$award" | jq -r .id)
[ "$id" != null ] || { echo "award refused: $(echo "$award" | head -c 300)"; exit 1; }
size=$(curl -s -o /dev/null -w '%{size_download}' "$base/public/assertions/$id/export")
echo "award body $(stat -c %s "$body") bytes; one export $size bytes"

rss() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$service/status"; }
sleep 1
echo "service memory before: $(rss VmRSS) MB"
codes=$(mktemp)
for round in $(seq 1 "$rounds"); do
  seq 1 "$parallel" | xargs -P "$parallel" -I{} curl -s -o /dev/null -w '%{http_code}\n' "$base/public/assertions/$id/export" >> "$codes"
done
sleep 1
echo "answers: $(sort "$codes" | uniq -c | awk '{printf "%s x %s, ", $1, $2}')"
echo "service memory at its peak: $(rss VmHWM) MB; after: $(rss VmRSS) MB"
