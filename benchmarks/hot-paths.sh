#!/usr/bin/env bash
# The public hot paths beside a bare Kestrel app, in one run (issue #14). For each store (SQLite, then
# PostgreSQL) and each size (1,000 and 1,000,000 assertions, made by SQL from one real award), the
# service is started in Release on 127.0.0.1, and wrk -t2 measures, REPEAT times, alternating with the
# bare app (benchmarks/Requapass.Badges.Benchmarks, "bare": a 1 KB JSON body, the class PNG's bytes, a
# one-row insert with the same driver):
#   GET /public/assertions/{id}      over 1,000 ids, 64 connections   vs /hello/{id} (the same wrk script)
#   the same, one hot assertion                                       vs /hello
#   GET /public/badges/{id}                                           vs /hello
#   GET /public/assertions/{id}/image over 1,000 ids (baked PNG)      vs /file/{id}/image (the same wrk script)
#   the same with If-None-Match (304)                                 vs /file
#   POST an award, hosted, 8 connections                              vs the bare insert, 8 connections
#   POST /public/verify {url} of our own hosted badge                 vs /hello
# and prints one table: requests per second, p99, and the ratio to the baseline of the same repetition
# (mean of the per-repetition ratios). Read the ratios: other work on the machine moves the figures.
# Needs wrk, jq, sqlite3, and PostgreSQL (scripts/postgres.sh). Usage:
#   benchmarks/hot-paths.sh [SECONDS=8] [REPEAT=3] [SIZES="1000 1000000"] [STORES="sqlite postgres"]
# ONLY=REGEX keeps the paths whose name matches (ONLY=award, ONLY='image|304'); KEEP=1 keeps the raw figures;
# WARMUP=20 is the length in seconds of each path's first, uncounted, repetition; SERVICE_SETTINGS="A__B=v ..." adds
# settings to the service (SERVICE_SETTINGS=Caching__AnswerLifetime=00:01:00 shows what re-reading kept answers costs).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
seconds=${1:-8}; repeat=${2:-3}; warmup=${WARMUP:-20}; sizes=${3:-"1000 1000000"}; stores=${4:-"sqlite postgres"}
pg=${REQUAPASS_BENCH_POSTGRES:-Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass}
psql_admin() { PGPASSWORD=requapass psql -h 127.0.0.1 -U requapass -d "${2:-postgres}" -qAt -c "$1"; }
work=$(mktemp -d)
bare_pid=""
cleanup() {
  stop_service
  [ -n "$bare_pid" ] && { kill "$bare_pid" 2>/dev/null || true; wait "$bare_pid" 2>/dev/null || true; }
  psql_admin "DROP DATABASE IF EXISTS bench_hot_$$ WITH (FORCE)" >/dev/null 2>&1 || true
  psql_admin "DROP DATABASE IF EXISTS bench_bare_$$ WITH (FORCE)" >/dev/null 2>&1 || true
  # KEEP=1 leaves the raw figures and logs for a look.
  if [ -n "${KEEP:-}" ]; then echo "work: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
build_release
base=http://127.0.0.1:5393; bare=http://127.0.0.1:5394

cat > "$work/rotate.lua" <<'LUA'
-- wrk -s rotate.lua URL -- PREFIX SUFFIX IDS_FILE: GET PREFIX..id..SUFFIX, cycling over the ids.
local ids, prefix, suffix, i = {}, "", "", 0
function init(args)
  prefix, suffix = args[1], args[2]
  for line in io.lines(args[3]) do ids[#ids + 1] = line end
  i = math.random(#ids)
end
function request()
  i = i % #ids + 1
  return wrk.format("GET", prefix .. ids[i] .. suffix)
end
LUA

# measure LABEL CONNECTIONS URL [wrk args...]: appends "LABEL rps p99ms non2xx" to $work/raw
measure() {
  local label=$1 connections=$2 url=$3; shift 3
  # ONLY=REGEX measures only the paths whose name matches (e.g. ONLY=award).
  [[ -z "${ONLY:-}" || "$label" =~ ${ONLY} ]] || return 0
  wrk -t2 -c"$connections" -d2s "$url" "$@" > /dev/null
  local out; out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$url" "$@")
  echo "$out" | awk -v label="$label" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = ms($2) } /Non-2xx or 3xx/ { bad = $5 }
    END { printf "%s\t%s\t%.2f\t%d\n", label, rps, p99, bad }' >> "$work/raw"
}

start_bare() {
  local sqlite_file=$1 postgres=$2
  dotnet "$tool" bare "$bare" "$work/class.png" "$sqlite_file" "$postgres" > "$work/bare.log" 2>&1 &
  bare_pid=$!
  for _ in $(seq 1 60); do curl -sf "$bare/hello" >/dev/null && return 0; sleep 0.5; done
  cat "$work/bare.log"; exit 1
}

# fill STORE N: as many assertions as N, copies of the first one with their own public ids.
fill() {
  local store=$1 n=$2
  if [ "$store" = sqlite ]; then
    sqlite3 -cmd ".timeout 30000" "$work/data/requapass.db" "

      INSERT INTO assertions (public_id, badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, recipient_lookup,
        issued_on, expires, narrative, evidence_json, created_at, updated_at, verification_type)
      WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < $n - (SELECT count(*) FROM assertions))
      SELECT printf('bench%010d', x), badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, printf('lookup%d', x),
        issued_on, expires, narrative, evidence_json, created_at, updated_at, verification_type
      FROM g, (SELECT * FROM assertions ORDER BY id LIMIT 1);"
  else
    psql_admin "INSERT INTO assertions (public_id, badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, recipient_lookup,
        issued_on, expires, narrative, evidence_json, created_at, updated_at, verification_type)
      SELECT 'bench' || lpad(g::text, 10, '0'), badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, 'lookup' || g,
        issued_on, expires, narrative, evidence_json, created_at, updated_at, verification_type
      FROM generate_series(1, $n - (SELECT count(*) FROM assertions)) g, (SELECT * FROM assertions ORDER BY id LIMIT 1) a;
      ANALYZE assertions;" "bench_hot_$$" >/dev/null
  fi
}

# explain STORE OTHER_CLASS: the plans of the listing by class (the class with one assertion), the listing
# by recipient and the public read, as the service writes them (the class and issuer row ids as constants,
# AssertionsApi.List) and binds them. On PostgreSQL each is
# prepared and planned as a generic plan, as Npgsql's automatic preparation may end up running it (a
# plan that must hold for any value), and run with EXPLAIN ANALYZE.
explain() {
  local store=$1 other=$2 ids sql
  echo "== $store, $size assertions" >> "$work/explain"
  if [ "$store" = sqlite ]; then
    ids=$(sqlite3 "$work/data/requapass.db" "SELECT issuer_id || ' ' || id FROM badge_classes WHERE public_id = '$other'")
  else
    ids=$(psql_admin "SELECT issuer_id || ' ' || id FROM badge_classes WHERE public_id = '$other'" "bench_hot_$$")
  fi
  read -r issuer_row class_row <<< "$ids"
  for sql in \
    "by_class(int) AS SELECT id, public_id FROM assertions WHERE badge_class_id = $class_row ORDER BY id DESC LIMIT \$1|(51)" \
    "by_recipient(text) AS SELECT id, public_id FROM assertions WHERE issuer_id = $issuer_row AND recipient_lookup = \$1 ORDER BY id DESC LIMIT 51|('lookup500')" \
    "public_read(text) AS SELECT a.public_id, b.public_id FROM assertions a JOIN badge_classes b ON b.id = a.badge_class_id WHERE a.public_id = \$1|('bench0000000500')"
  do
    local statement=${sql%%|*} args=${sql##*|}
    echo "-- ${statement%%(*}" >> "$work/explain"
    if [ "$store" = sqlite ]; then
      # The same statement with the values in place of the parameters: SQLite plans without statistics on values.
      local query=${statement#* AS } values=${args:1:-1} i=1
      IFS=',' read -ra bound <<< "$values"
      for v in "${bound[@]}"; do query=${query//\$$i/${v# }}; i=$((i + 1)); done
      sqlite3 "$work/data/requapass.db" "EXPLAIN QUERY PLAN $query" >> "$work/explain"
    else
      psql_admin "PREPARE $statement; SET plan_cache_mode = force_generic_plan; EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE ${statement%%(*}$args" "bench_hot_$$" >> "$work/explain"
    fi
  done
}

for store in $stores; do
  for size in $sizes; do
    rm -rf "$work/data"; mkdir -p "$work/data"
    settings=(PublicTraffic__ImagesPerMinute=10000000 PublicTraffic__ConcurrentImages=10000 PublicTraffic__ConcurrentVerifications=10000
      Verification__RequestsPerMinute=10000000)
    # SERVICE_SETTINGS="Name__Sub=value ..." adds the service's settings (e.g. Caching__AnswerLifetime=00:01:00).
    read -r -a extra <<< "${SERVICE_SETTINGS:-}"
    settings+=("${extra[@]}")
    if [ "$store" = postgres ]; then
      psql_admin "DROP DATABASE IF EXISTS bench_hot_$$ WITH (FORCE)" >/dev/null; psql_admin "CREATE DATABASE bench_hot_$$"
      settings+=(Database__Provider=Postgres "Database__ConnectionString=$pg;Database=bench_hot_$$")
    fi
    start_service "$base" "$work/data" "${settings[@]}"
    token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
    issuer=$(curl -sf "$base/api/v1/issuers" -H "authorization: Bearer $token" | jq -r '.[] | select(.isCatalogueOwner) | .id')
    class=$(curl -sf "$base/api/v1/issuers/$issuer/badge-classes" -H "authorization: Bearer $token" | jq -r '.[0].id')
    award='{"recipient":{"type":"email","identity":"benevole@example.org"},"verification":"hosted","notify":false,"narrative":"Accueil du public"}'
    hot=$(curl -sf -X POST "$base/api/v1/badge-classes/$class/assertions" -H "authorization: Bearer $token" -H 'content-type: application/json' -d "$award" | jq -r .id)
    curl -sf "$base/public/badges/$class/image" -o "$work/class.png"
    # One assertion of another class: the listing filtered on it is the case that once scanned everything.
    other=$(curl -sf "$base/api/v1/issuers/$issuer/badge-classes" -H "authorization: Bearer $token" | jq -r '.[1].id')
    curl -sf -X POST "$base/api/v1/badge-classes/$other/assertions" -H "authorization: Bearer $token" -H 'content-type: application/json' -d "$award" > /dev/null
    stop_service
    fill "$store" "$size"
    explain "$store" "$other"
    # The ids read: 1,000 spread over the whole table.
    if [ "$store" = sqlite ]; then
      sqlite3 "$work/data/requapass.db" "SELECT public_id FROM assertions WHERE id % max(1, (SELECT count(*) FROM assertions) / 1000) = 0 LIMIT 1000" > "$work/ids"
    else
      psql_admin "SELECT public_id FROM assertions WHERE id % greatest(1, (SELECT count(*) FROM assertions) / 1000) = 0 LIMIT 1000" "bench_hot_$$" > "$work/ids"
    fi
    count=$([ "$store" = sqlite ] && sqlite3 "$work/data/requapass.db" "SELECT count(*) FROM assertions" || psql_admin "SELECT count(*) FROM assertions" "bench_hot_$$")
    if [ -z "$bare_pid" ]; then
      psql_admin "CREATE DATABASE bench_bare_$$" >/dev/null
      start_bare "$work/bare.db" "$pg;Database=bench_bare_$$"
    fi
    start_service "$base" "$work/data" "${settings[@]}"
    token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
    etag=$(curl -sf -o /dev/null -D - "$base/public/assertions/$hot/image" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
    cat > "$work/award.lua" <<LUA
wrk.method = "POST"; wrk.body = '$award'
wrk.headers["Content-Type"] = "application/json"; wrk.headers["Authorization"] = "Bearer $token"
LUA
    cat > "$work/verify.lua" <<LUA
wrk.method = "POST"; wrk.body = '{"url":"$base/public/assertions/$hot"}'; wrk.headers["Content-Type"] = "application/json"
LUA
    printf 'wrk.method = "POST"\n' > "$work/post.lua"
    printf "wrk.headers[\"If-None-Match\"] = '%s'\n" "$etag" > "$work/304.lua"
    echo "$store $size: $count assertions" >&2
    # Repetition 0 warms both processes up and is not counted: the runtime compiles a method again,
    # optimised, only after it has run a while, and the award path takes about 20 s of load to get there
    # (measured in 10 s windows: 2.7 ms of CPU per award in the first, 1.0 ms from the third on).
    for r in $(seq 0 "$repeat"); do
      key="$store|$count|$r"; duration=$([ "$r" = 0 ] && echo "$warmup" || echo "$seconds")
      measure "$key|assertion, 1,000 ids|base-hello" 64 "$bare" -s "$work/rotate.lua" -- /hello/ "" "$work/ids"
      measure "$key|assertion, 1,000 ids|service" 64 "$base" -s "$work/rotate.lua" -- /public/assertions/ "" "$work/ids"
      measure "$key|assertion, one hot|base-hello" 64 "$bare/hello"
      measure "$key|assertion, one hot|service" 64 "$base/public/assertions/$hot"
      measure "$key|badge class|base-hello" 64 "$bare/hello"
      measure "$key|badge class|service" 64 "$base/public/badges/$class"
      measure "$key|baked image, 1,000 ids|base-file" 64 "$bare" -s "$work/rotate.lua" -- /file/ /image "$work/ids"
      measure "$key|baked image, 1,000 ids|service" 64 "$base" -s "$work/rotate.lua" -- /public/assertions/ /image "$work/ids"
      measure "$key|baked image, 304|base-file" 64 "$bare/file"
      measure "$key|baked image, 304|service" 64 "$base/public/assertions/$hot/image" -s "$work/304.lua"
      measure "$key|award (hosted)|base-insert" 8 "$bare/insert/$store" -s "$work/post.lua"
      measure "$key|award (hosted)|service" 8 "$base/api/v1/badge-classes/$class/assertions" -s "$work/award.lua"
      measure "$key|verify (own, url)|base-hello" 64 "$bare/hello"
      measure "$key|verify (own, url)|service" 64 "$base/public/verify" -s "$work/verify.lua"
    done
    stop_service
  done
done

# One row per store, size and path: the service's mean rps and worst p99, the baseline's mean rps, and
# the mean of the per-repetition ratios.
awk -F'\t' '
  { split($1, k, "|"); row = k[1] "|" k[2] "|" k[4]; rep = k[3]; if (rep == 0) next
    if (k[5] == "service") { svc[row, rep] = $2; p99[row] = ($3 > p99[row] ? $3 : p99[row]); bad[row] += $4 } else { bas[row, rep] = $2; basename[row] = k[5] }
    reps[rep] = 1; if (!(row in order)) order[row] = ++n }
  END {
    printf "| store | assertions | path | service req/s | p99 ms | baseline req/s | ratio | non-2xx/3xx |\n|---|---:|---|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= n; i++) for (row in order) if (order[row] == i) {
      split(row, k, "|"); s = 0; b = 0; q = 0; m = 0
      for (rep in reps) if ((row, rep) in svc) { s += svc[row, rep]; b += bas[row, rep]; q += svc[row, rep] / bas[row, rep]; m++ }
      printf "| %s | %s | %s | %.0f | %.1f | %.0f (%s) | %.2f | %d |\n", k[1], k[2], k[3], s / m, p99[row], b / m, substr(basename[row], 6), q / m, bad[row]
    }
  }' "$work/raw"
echo
echo "Query plans (the listing by class and by recipient, the public read):"
cat "$work/explain"
