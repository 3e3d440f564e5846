#!/usr/bin/env bash
# Installs the SMTP server the award-email tests start: smtp4dev, a .NET tool pinned in
# .config/dotnet-tools.json, restored from NuGet (no system package, no root needed). The tests start
# it themselves, once per run, on loopback ports. Used by scripts/test.sh. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet tool restore
echo "smtp4dev $(sed -n 's/.*"version": "\([0-9.]*\)".*/\1/p' .config/dotnet-tools.json | tail -n 1) is installed (dotnet tool run smtp4dev)."
