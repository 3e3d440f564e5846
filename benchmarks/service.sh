# Sourced by the benchmark scripts: builds the service and the load client in Release, and starts the
# service on 127.0.0.1 only. Sets $secret (the bootstrap admin's) and $service (the process id).
secret=$(openssl rand -hex 24)
tool=benchmarks/Requapass.Badges.Benchmarks/bin/Release/net10.0/Requapass.Badges.Benchmarks.dll

build_release() {
  dotnet build -c Release src/Requapass.Badges.Api benchmarks/Requapass.Badges.Benchmarks -v q >/dev/null 2>&1 || \
    dotnet build -c Release Requapass.Badges.sln -v q >/dev/null
}

# start_service BASE DATA_DIR [Setting__Name=value ...]: Development settings, a `bench` admin client.
# API_DLL runs another build of the service (an older commit, for a before/after comparison).
start_service() {
  local base=$1 data=$2
  shift 2
  env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$base" Service__PublicBaseUrl="$base" Service__DataDirectory="$data" \
    Auth__BootstrapAdminClientId=bench Auth__BootstrapAdminClientSecret="$secret" Auth__TokenRequestsPerMinute=1000 \
    Logging__LogLevel__Default=Warning "$@" \
    dotnet "${API_DLL:-src/Requapass.Badges.Api/bin/Release/net10.0/Requapass.Badges.Api.dll}" > "$data/service.log" 2>&1 &
  service=$!
  for _ in $(seq 1 60); do
    curl -sf "$base/health/ready" >/dev/null && return 0
    kill -0 "$service" 2>/dev/null || { cat "$data/service.log"; exit 1; }
    sleep 1
  done
  echo "The service did not become ready." >&2
  exit 1
}

stop_service() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; }
