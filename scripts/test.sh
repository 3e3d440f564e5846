#!/usr/bin/env bash
# The whole test suite, PostgreSQL included: installs and starts PostgreSQL if needed, then runs
# every test project. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/postgres.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/smtp.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/browser.sh || { echo "0 passed, 1 failed"; exit 1; }
export REQUAPASS_TEST_POSTGRES="${REQUAPASS_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass;Database=postgres}"

log=$(mktemp)
# Full test names, so the output shows each fixture's provider: ...AuthTests(Postgres).Token_...
dotnet test Requapass.Badges.sln -c Release --logger "console;verbosity=normal" -- NUnit.DisplayName=FullName 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly ends with "Total tests: N", then "Passed: N", "Failed: N", "Skipped: N" lines.
sum() { grep -E "^\s+$1: [0-9]+\s*$" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
postgres=$(grep -cE '^\s+(Passed|Failed) .*\(Postgres\)' "$log")
# An exception in a fixture's OneTimeTearDown (a test database that could not be dropped, say) is
# not a failed test for the adapter: it prints "TearDown failed for test fixture ..." and the run
# exits non-zero. Count each one as a failure, so that the summary cannot say 0 failed.
teardowns=$(grep -c "TearDown failed for test fixture" "$log")
failed=$((failed + teardowns))
# CI shows only the end of the output: repeat each failure (name, message, top of the stack) here.
if [ "$failed" -gt 0 ]; then
  echo "Failures:"
  awk '/^[[:space:]]+Failed [^[:space:]:]/ { n = 25 } n > 0 { print; n-- }' "$log" | cut -c1-400
  grep -A3 "TearDown failed for test fixture" "$log" | cut -c1-400
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "PostgreSQL tests run: ${postgres}"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
