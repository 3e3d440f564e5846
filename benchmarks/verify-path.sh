#!/usr/bin/env bash
# Verification of our own signed baked PNG, through HTTP and in process, beside openssl's RSA-2048
# verify rate, in one run (issue #5). Starts the service (Release, SQLite in a temporary folder, a
# generated key) on 127.0.0.1 only, runs the load for SECONDS with CONCURRENCY requests in flight,
# and stops the service. The load client shares the machine's cores with the service.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}; concurrency=${2:-16}; port=5098; base="http://127.0.0.1:$port"
data=$(mktemp -d); secret=$(openssl rand -hex 24)
dotnet build -c Release src/Requapass.Badges.Api benchmarks/Requapass.Badges.Benchmarks -v q >/dev/null 2>&1 || \
  dotnet build -c Release Requapass.Badges.sln -v q >/dev/null
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=$base Service__PublicBaseUrl=$base Service__DataDirectory=$data \
  Auth__BootstrapAdminClientId=bench Auth__BootstrapAdminClientSecret=$secret Auth__TokenRequestsPerMinute=1000 \
  Verification__RequestsPerMinute=10000000 Logging__LogLevel__Default=Warning \
  dotnet src/Requapass.Badges.Api/bin/Release/net10.0/Requapass.Badges.Api.dll > "$data/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do curl -sf "$base/health/ready" >/dev/null && break; kill -0 $service 2>/dev/null || { cat "$data/service.log"; exit 1; }; sleep 1; done
one=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $7}')
all=$(openssl speed -seconds 5 -multi "$(nproc)" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $7}')
echo "openssl rsa2048 verify/s: 1 process $one, $(nproc) processes $all"
dotnet benchmarks/Requapass.Badges.Benchmarks/bin/Release/net10.0/Requapass.Badges.Benchmarks.dll verify-path "$base" bench "$secret" "$seconds" "$concurrency"
