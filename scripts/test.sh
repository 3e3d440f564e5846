#!/usr/bin/env bash
# The whole test suite, PostgreSQL included: installs and starts PostgreSQL if needed, then runs
# every test project. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/postgres.sh || { echo "0 passed, 1 failed"; exit 1; }
export REQUAPASS_TEST_POSTGRES="${REQUAPASS_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass;Database=postgres}"

log=$(mktemp)
dotnet test Requapass.Badges.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(grep -E '^\s*(Passed|Failed)!\s+-\s+Failed:' "$log" | awk -F'[:,]' '
  { for (i = 1; i < NF; i++) { k = $i; gsub(/[^A-Za-z]/, "", k); v = $(i + 1); gsub(/[^0-9]/, "", v);
      if (k == "Failed") f += v; else if (k == "Passed") p += v; else if (k == "Skipped") s += v } }
  END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
