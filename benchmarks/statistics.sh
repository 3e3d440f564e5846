#!/usr/bin/env bash
# The barometer's aggregate queries (issue #15, part 2) on PostgreSQL with 1,000,000 assertions made by
# SQL (generate_series): 20 issuers with territories, each with the RECTEC+ catalogue (640 classes),
# 200,000 recipients, issued over the 60 closed months before this one, 5% revoked, 20% expiring, and
# verification counters for every class and month. Times each statistics route (3 runs, seconds, the
# whole HTTP request) and prints EXPLAIN (ANALYZE, BUFFERS) of the two queries behind a REQUAPASS-wide
# breakdown by competence over 60 months: the months' totals and the cells.
# Needs the PostgreSQL of scripts/postgres.sh; PG_ADMIN overrides its admin connection URL.
# STORE=sqlite: the same data in SQLite (the service's file in its data directory), no EXPLAIN ANALYZE.
# BEFORE_DLL=path/to/Requapass.Badges.Api.dll (another commit's build, e.g. main's) times the same routes on
# the same database with that build first (RUNS_BEFORE runs each, default 1), then with this branch's
# (RUNS runs each, default 3: the first fills the stored figures, the next read them); AFTER_DLL runs a copy
# of this branch's build instead of bin/ (so the tree may be rebuilt meanwhile).
# BEFORE_LABEL and AFTER_LABEL name the two builds in the tables (e.g. to run them in the other order).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
build_release
pg_admin=${PG_ADMIN:-postgresql://requapass:requapass@127.0.0.1:5432/postgres}
store=${STORE:-postgres}
db="requapass_bench_stats_$$"
base="http://127.0.0.1:5096"; data=$(mktemp -d)
if [ "$store" = sqlite ]; then
  settings=(Database__Provider=Sqlite Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information)
  psql() { :; }
else
  psql -q "$pg_admin" -c "CREATE DATABASE $db" >/dev/null
  settings=(Database__Provider=Postgres "Database__ConnectionString=Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass;Database=$db"
    Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information)
fi
url="${pg_admin%/*}/$db"
API_DLL=${BEFORE_DLL:-} start_service "$base" "$data" "${settings[@]}"
# KEEP_DB=1 keeps the database (named on the last line) for more EXPLAINs by hand.
trap 'stop_service; [ -n "${KEEP_DB:-}" ] && echo "Kept: $url" || psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$data"' EXIT
token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
auth=(-H "authorization: Bearer $token")
territories=(FR-59 FR-62 FR-02 FR-60 FR-80 BE-WHT BE-VWV BE-WBR BE-WNA FR-59)
for i in $(seq 0 19); do
  id=$(curl -sf "${auth[@]}" -H 'content-type: application/json' -X POST "$base/api/v1/issuers" \
    -d "{\"name\":\"Association $i\",\"url\":\"https://a$i.example.org\",\"email\":\"contact@a$i.example.org\",\"territory\":\"${territories[$((i % 10))]}\"}" | jq -r .id)
  curl -sf "${auth[@]}" -X POST "$base/api/v1/issuers/$id/catalogue" >/dev/null
  [ "$i" = 0 ] && first=$id
done

echo "Generating 1,000,000 assertions ($store)..."
start=$(date +%s)
if [ "$store" = sqlite ]; then
  sqlite3 -cmd ".timeout 30000" "$data/requapass.db" <<'SQL'
CREATE TEMP TABLE classes AS
  SELECT row_number() OVER (ORDER BY b.id) - 1 AS n, b.id, b.issuer_id FROM badge_classes b JOIN issuers i ON i.id = b.issuer_id WHERE NOT i.is_catalogue_owner;
CREATE TEMP TABLE g AS WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 1000000)
  SELECT x AS g, datetime(date('now', 'start of month', '-60 months'), '+' || (x % 1800) || ' days', '+' || (x % 86400) || ' seconds') AS issued FROM s;
INSERT INTO assertions (public_id, badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, recipient_lookup, issued_on, expires,
                        revoked_at, verification_type, created_at, updated_at)
SELECT 'bench' || g, c.id, c.issuer_id, 'email', 'sha256$x', 'salt', printf('%016x%016x%016x%016x', g % 200000, (g % 200000) * 7, (g % 200000) * 13, (g % 200000) * 17),
       issued, CASE WHEN g % 5 = 0 THEN datetime(issued, '+1 year') END, CASE WHEN g % 20 = 0 THEN datetime(issued, '+20 days') END, 'hosted', issued, issued
FROM g JOIN classes c ON c.n = (g * 7919) % (SELECT count(*) FROM classes);
INSERT INTO verification_counts (badge_class_id, month, count)
WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 60)
SELECT c.id, CAST(strftime('%Y%m', date('now', 'start of month', '-' || k || ' months')) AS integer), 1 + (c.n * 31 + k) % 40 FROM classes c, m;
ANALYZE;
SQL
  echo "Generated in $(( $(date +%s) - start )) s: $(sqlite3 "$data/requapass.db" 'SELECT count(*) FROM assertions') assertions."
else
psql -q "$url" <<'SQL'
CREATE TEMP TABLE classes AS
  SELECT row_number() OVER (ORDER BY b.id) - 1 AS n, b.id, b.issuer_id FROM badge_classes b JOIN issuers i ON i.id = b.issuer_id WHERE NOT i.is_catalogue_owner;
INSERT INTO assertions (public_id, badge_class_id, issuer_id, recipient_type, recipient_hash, recipient_salt, recipient_lookup, issued_on, expires,
                        revoked_at, verification_type, created_at, updated_at)
SELECT 'bench' || g, c.id, c.issuer_id, 'email', 'sha256$x', 'salt', encode(sha256(convert_to((g % 200000)::text, 'UTF8')), 'hex'), t.issued,
       CASE WHEN g % 5 = 0 THEN t.issued + interval '1 year' END,
       CASE WHEN g % 20 = 0 THEN t.issued + interval '20 days' END, 'hosted', t.issued, t.issued
FROM generate_series(1, 1000000) g
JOIN classes c ON c.n = (g::bigint * 7919) % (SELECT count(*) FROM classes)
CROSS JOIN LATERAL (SELECT date_trunc('month', now()) - interval '60 months' + (g % 1800) * interval '1 day' + (g % 86400) * interval '1 second' AS issued) t;
INSERT INTO verification_counts (badge_class_id, month, count)
SELECT c.id, extract(year FROM m)::int * 100 + extract(month FROM m)::int, 1 + (c.n * 31 + extract(month FROM m)::int) % 40
FROM classes c CROSS JOIN generate_series(date_trunc('month', now()) - interval '60 months', date_trunc('month', now()) - interval '1 month', interval '1 month') m;
ANALYZE assertions; ANALYZE badge_classes; ANALYZE issuers; ANALYZE verification_counts;
SQL
echo "Generated in $(( $(date +%s) - start )) s: $(psql -tA "$url" -c 'SELECT count(*) FROM assertions') assertions, $(psql -tA "$url" -c 'SELECT count(*) FROM verification_counts') counters."
fi

last=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m); from=$(date -u -d "$(date -u +%Y-%m-01) -60 month" +%Y-%m)
time_route() { # PATH QUERY
  local times=()
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${auth[@]}" "$base$1?$2&from=$from&to=$last")")
  done
  echo "| $build | $1 | $2 | ${times[*]} |"
}
time_all() {
echo
echo "| build | route | query | status and seconds per run |"
echo "|---|---|---|---|"
for q in "measure=awarded&by=month" "measure=awarded&by=competence" "measure=awarded&by=level" "measure=awarded&by=issuer" \
         "measure=awarded&by=territory" "measure=revoked&by=competence" "measure=expired&by=level" "measure=verifications&by=competence"; do
  time_route /api/v1/statistics "$q"
done
time_route /api/v1/statistics/chart "measure=awarded&by=month"
time_route "/api/v1/issuers/$first/statistics" "measure=awarded&by=competence"
time_route "/api/v1/issuers/$first/statistics" "measure=awarded&by=month"
}
if [ -n "${BEFORE_DLL:-}" ]; then
  build=${BEFORE_LABEL:-before} runs=${RUNS_BEFORE:-1} time_all
  stop_service
  API_DLL=${AFTER_DLL:-} start_service "$base" "$data" "${settings[@]}"
  token=$(curl -sf -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"clientId\":\"bench\",\"clientSecret\":\"$secret\"}" | jq -r .access_token)
  auth=(-H "authorization: Bearer $token")
fi
build=${AFTER_LABEL:-this} runs=${RUNS:-3} time_all

echo
echo "The SQL EF Core sent for by=competence (from the service log):"
grep -m1 'CASE' "$data/service.log" | sed 's/.*CommandTimeout=.30.\] //' || true

[ "$store" = sqlite ] && exit 0
start_ts="$(date -u -d "$from-01" +%Y-%m-%d)"; end_ts="$(date -u -d "$(date -u +%Y-%m-01)" +%Y-%m-%d)"
echo
echo "EXPLAIN: the months' totals, REQUAPASS-wide, 60 months"
psql -q "$url" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT date_part('year', a.issued_on AT TIME ZONE 'UTC')::int * 100 + date_part('month', a.issued_on AT TIME ZONE 'UTC')::int AS month,
  count(*), count(DISTINCT a.recipient_lookup) FROM assertions a JOIN issuers i ON a.issuer_id = i.id
  WHERE a.issued_on >= '$start_ts' AND a.issued_on < '$end_ts' GROUP BY 1"
echo "EXPLAIN: the cells by competence (the catalogue's CASE), REQUAPASS-wide, 60 months"
psql -q "$url" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT date_part('year', a.issued_on AT TIME ZONE 'UTC')::int * 100 + date_part('month', a.issued_on AT TIME ZONE 'UTC')::int AS month,
  CASE WHEN b.catalogue_code = ANY(ARRAY['COM-ORAL-N1','COM-ORAL-N2','COM-ORAL-N3','COM-ORAL-N4']) THEN 'communication_orale'
       WHEN b.catalogue_code = ANY(ARRAY['ORG-EQUIPE-N1','ORG-EQUIPE-N2','ORG-EQUIPE-N3','ORG-EQUIPE-N4']) THEN 'travail_equipe' END AS key,
  count(*), count(DISTINCT a.recipient_lookup) FROM assertions a JOIN issuers i ON a.issuer_id = i.id JOIN badge_classes b ON a.badge_class_id = b.id
  WHERE a.issued_on >= '$start_ts' AND a.issued_on < '$end_ts' GROUP BY 1, 2"
echo "EXPLAIN: one issuer's totals, 60 months"
psql -q "$url" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT date_part('year', a.issued_on AT TIME ZONE 'UTC')::int * 100 + date_part('month', a.issued_on AT TIME ZONE 'UTC')::int AS month,
  count(*), count(DISTINCT a.recipient_lookup) FROM assertions a JOIN issuers i ON a.issuer_id = i.id
  WHERE a.issued_on >= '$start_ts' AND a.issued_on < '$end_ts' AND a.issuer_id = (SELECT id FROM issuers WHERE public_id = '$first') GROUP BY 1"
echo "EXPLAIN: this branch's read of the stored figures (statistics_cells), REQUAPASS-wide by competence, 60 months"
psql -q "$url" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM statistics_cells WHERE scope = 0 AND measure = 'awarded' AND breakdown = 'competence'
  AND month >= ${from/-/} AND month <= ${last/-/}" 2>&1 || true
