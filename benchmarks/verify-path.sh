#!/usr/bin/env bash
# Verification of our own signed baked PNG, through HTTP and in process, beside openssl's RSA-2048
# verify rate, in one run (issue #5). Starts the service (Release, SQLite in a temporary folder, a
# generated key) on 127.0.0.1 only, runs the load for SECONDS with CONCURRENCY requests in flight,
# and stops the service. The load client shares the machine's cores with the service.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
seconds=${1:-10}; concurrency=${2:-16}; base="http://127.0.0.1:5098"; data=$(mktemp -d)
build_release
start_service "$base" "$data" Verification__RequestsPerMinute=10000000
trap 'stop_service; rm -rf "$data"' EXIT
one=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $7}')
all=$(openssl speed -seconds 5 -multi "$(nproc)" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $7}')
echo "openssl rsa2048 verify/s: 1 process $one, $(nproc) processes $all"
dotnet "$tool" verify-path "$base" bench "$secret" "$seconds" "$concurrency"
