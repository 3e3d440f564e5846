#!/usr/bin/env bash
# Public reads on PostgreSQL with and without Npgsql's automatic statement preparation, in the same run
# (issue #14): GET /public/assertions/{id} and /public/badges/{id} with wrk, alternating the two
# services, REPEAT times each. Prints requests per second and the ratio (prepared / unprepared).
# Needs a PostgreSQL server (scripts/postgres.sh) and wrk. Usage: benchmarks/public-reads.sh [SECONDS] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
seconds=${1:-10}
repeat=${2:-3}
pg=${REQUAPASS_BENCH_POSTGRES:-Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass}
database="bench_reads_$$"
psql_admin() { PGPASSWORD=requapass psql -h 127.0.0.1 -U requapass -d postgres -qAt -c "$1"; }
psql_admin "CREATE DATABASE $database"
work=$(mktemp -d)
trap 'stop_service; psql_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)"; rm -rf "$work"' EXIT
build_release

run() { # run LABEL CONNECTION_STRING
  local base=http://127.0.0.1:5391
  mkdir -p "$work/$1"
  start_service "$base" "$work/$1" Database__Provider=Postgres "Database__ConnectionString=$2"
  if [ ! -f "$work/ids" ]; then
    local token issuer class assertion
    token=$(curl -s -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
    issuer=$(curl -s "$base/api/v1/issuers" -H "authorization: Bearer $token" | jq -r '.[] | select(.isCatalogueOwner) | .id')
    class=$(curl -s "$base/api/v1/issuers/$issuer/badge-classes" -H "authorization: Bearer $token" | jq -r '.[0].id')
    assertion=$(curl -s -X POST "$base/api/v1/badge-classes/$class/assertions" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -d '{"recipient":{"type":"email","identity":"bench@example.org"},"verification":"hosted","notify":false}' | jq -r .id)
    echo "$class $assertion" > "$work/ids"
  fi
  read -r class assertion < "$work/ids"
  for path in "/public/assertions/$assertion" "/public/badges/$class"; do
    wrk -t2 -c32 -d1s "$base$path" >/dev/null   # warm-up
    local rps
    rps=$(wrk -t2 -c32 -d"${seconds}s" "$base$path" | awk '/Requests\/sec/ {print $2}')
    echo "$1 $path $rps" | sed "s|/$assertion|/{id}|; s|/$class|/{id}|" >> "$work/results"
  done
  stop_service
}

for _ in $(seq 1 "$repeat"); do
  run unprepared "$pg;Database=$database;Max Auto Prepare=0"
  run prepared "$pg;Database=$database"
done
awk '{ sum[$1 "|" $2] += $3; n[$1 "|" $2]++; paths[$2] = 1 }
  END {
    printf "%-28s %12s %12s %8s\n", "path", "unprepared", "prepared", "ratio"
    for (p in paths) {
      u = sum["unprepared|" p] / n["unprepared|" p]; r = sum["prepared|" p] / n["prepared|" p]
      printf "%-28s %12.0f %12.0f %8.2f\n", p, u, r, r / u
    }
  }' "$work/results"
