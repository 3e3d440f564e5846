#!/usr/bin/env bash
# Issue #6 benchmarks, in one run: a 10,000-row hosted CSV batch on SQLite and on PostgreSQL beside a
# bare SQL insert of the same rows into the same table; then an export of 100,000 assertions on
# SQLite with its throughput and the service's memory. Starts the service (Release) on 127.0.0.1
# for each store, and stops it. Needs PostgreSQL (bash scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}; exports=${2:-100000}; port=5096; base="http://127.0.0.1:$port"
secret=$(openssl rand -hex 24)
dotnet build -c Release src/Requapass.Badges.Api benchmarks/Requapass.Badges.Benchmarks -v q >/dev/null 2>&1 || \
  dotnet build -c Release Requapass.Badges.sln -v q >/dev/null
tool=benchmarks/Requapass.Badges.Benchmarks/bin/Release/net10.0/Requapass.Badges.Benchmarks.dll
pg_db="requapass_bench_$$"
export PGPASSWORD=requapass

start() { # provider connection
  data=$(mktemp -d)
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=$base Service__PublicBaseUrl=$base Service__DataDirectory=$data \
    Database__Provider=$1 Database__ConnectionString="$2" \
    Auth__BootstrapAdminClientId=bench Auth__BootstrapAdminClientSecret=$secret Auth__TokenRequestsPerMinute=1000 \
    Batch__PollInterval=00:00:00.050 Logging__LogLevel__Default=Warning \
    dotnet src/Requapass.Badges.Api/bin/Release/net10.0/Requapass.Badges.Api.dll > "$data/service.log" 2>&1 &
  service=$!
  for _ in $(seq 1 60); do curl -sf "$base/health/ready" >/dev/null && return; kill -0 $service 2>/dev/null || { cat "$data/service.log"; exit 1; }; sleep 1; done
}
stop() { kill $service; wait $service 2>/dev/null || true; }
trap 'kill $service 2>/dev/null || true; psql -h 127.0.0.1 -U requapass -d postgres -qc "DROP DATABASE IF EXISTS $pg_db" 2>/dev/null || true' EXIT

sqlite="Data Source=$(mktemp -d)/bench.db"
start Sqlite "$sqlite"
dotnet $tool batch-path "$base" bench "$secret" Sqlite "$sqlite" "$rows"
stop

psql -h 127.0.0.1 -U requapass -d postgres -qc "CREATE DATABASE $pg_db"
pg="Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass;Database=$pg_db"
start Postgres "$pg"
dotnet $tool batch-path "$base" bench "$secret" Postgres "$pg" "$rows"
stop

sqlite="Data Source=$(mktemp -d)/export.db"
start Sqlite "$sqlite"
dotnet $tool export-path "$base" bench "$secret" Sqlite "$sqlite" "$exports" "$service"
stop
