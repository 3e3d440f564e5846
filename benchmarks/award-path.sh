#!/usr/bin/env bash
# Signed awards through HTTP beside openssl's RSA-2048 sign rate, in one run. Starts the service
# (Release, SQLite in a temporary folder, a generated key) on 127.0.0.1 only, awards N badges signed
# and then hosted, and stops the service. The load client shares the machine's cores with the service.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/service.sh
count=${1:-1000}; concurrency=${2:-8}; base="http://127.0.0.1:5099"; data=$(mktemp -d)
build_release
start_service "$base" "$data"
trap 'stop_service; rm -rf "$data"' EXIT
one=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
all=$(openssl speed -seconds 5 -multi "$(nproc)" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
echo "openssl rsa2048 sign/s: 1 process $one, $(nproc) processes $all"
dotnet "$tool" award-path "$base" bench "$secret" "$count" "$concurrency"
