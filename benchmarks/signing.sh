#!/usr/bin/env bash
# Signed issuance beside OpenSSL, in one run on one machine:
#   1. openssl speed rsa2048 on 1 process and on every core (its "sign/s" column);
#   2. the Core signer (BenchmarkDotNet), 1,000 JWS per operation on 1 thread and on every core;
#   3. the ratio of our signs/s to openssl's, per core.
set -euo pipefail
cd "$(dirname "$0")/.."
cores=$(nproc)
one=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
all=$(openssl speed -seconds 5 -multi "$cores" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
dotnet run -c Release --project benchmarks/Requapass.Badges.Benchmarks -- --filter '*SigningBenchmarks*' --job medium --exporters csv > /tmp/signing-bench.log
csv=$(ls -t BenchmarkDotNet.Artifacts/results/*SigningBenchmarks-report.csv | head -n 1)
echo "openssl rsa2048 sign/s: 1 process ${one}, ${cores} processes ${all}"
# Mean is the time per signature (OperationsPerInvoke = 1000), e.g. "1,234.5 us".
python3 - "$csv" "$one" "$all" "$cores" <<'PY'
import csv, sys
path, one, multi, cores = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
units = {"ns": 1e-9, "us": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1}
for row in csv.DictReader(open(path)):
    value, unit = row["Mean"].replace(",", "").split()
    rate = 1 / (float(value) * units[unit])
    threads = int(row["Threads"])
    base = one if threads == 1 else multi
    print(f"ours, {threads} thread(s): {rate:,.0f} sign/s; openssl: {base:,.0f} sign/s; ratio {rate / base:.2f}; per core {rate / threads:,.0f} vs {base / (1 if threads == 1 else cores):,.0f}")
PY
