#!/usr/bin/env bash
# Makes sure a local PostgreSQL is installed (Debian packages), running, and has the test role.
# Used by scripts/test.sh and so by .ci/run. Safe to run again.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  echo "Installing PostgreSQL from Debian packages..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  as_root pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  as_root pg_ctlcluster "$version" main start
fi

for _ in $(seq 1 30); do
  as_postgres pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done

as_postgres psql -q -h /var/run/postgresql -d postgres -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'requapass') THEN
    CREATE ROLE requapass LOGIN CREATEDB PASSWORD 'requapass';
  END IF;
END
$$;
SQL
echo "PostgreSQL $version is running on 127.0.0.1:5432 (role requapass)."
