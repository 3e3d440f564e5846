#!/usr/bin/env bash
# Issue #6 benchmarks, in one run: a 10,000-row hosted CSV batch on SQLite and on PostgreSQL beside a
# bare SQL insert of the same rows into the same table; then an export of 100,000 assertions on
# SQLite with its throughput and the service's memory. Starts the service (Release) on 127.0.0.1
# for each store, and stops it. Needs PostgreSQL (bash scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
rows=${1:-10000}; exports=${2:-100000}; base="http://127.0.0.1:5096"
pg_db="requapass_bench_$$"
export PGPASSWORD=requapass
build_release
trap 'stop_service; psql -h 127.0.0.1 -U requapass -d postgres -qc "DROP DATABASE IF EXISTS $pg_db" 2>/dev/null || true' EXIT

sqlite="Data Source=$(mktemp -d)/bench.db"
start_service "$base" "$(mktemp -d)" Database__Provider=Sqlite Database__ConnectionString="$sqlite" Batch__PollInterval=00:00:00.050
dotnet "$tool" batch-path "$base" bench "$secret" Sqlite "$sqlite" "$rows"
stop_service

psql -h 127.0.0.1 -U requapass -d postgres -qc "CREATE DATABASE $pg_db"
pg="Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass;Database=$pg_db"
start_service "$base" "$(mktemp -d)" Database__Provider=Postgres Database__ConnectionString="$pg" Batch__PollInterval=00:00:00.050
dotnet "$tool" batch-path "$base" bench "$secret" Postgres "$pg" "$rows"
stop_service

sqlite="Data Source=$(mktemp -d)/export.db"
start_service "$base" "$(mktemp -d)" Database__Provider=Sqlite Database__ConnectionString="$sqlite"
dotnet "$tool" export-path "$base" bench "$secret" Sqlite "$sqlite" "$exports" "$service"
