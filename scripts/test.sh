#!/usr/bin/env bash
# Runs every test of Kumbara: it installs or starts what the tests need (PostgreSQL, poppler's pdftotext, Debian's
# Chromium for the browser tests, staticcheck), then runs vet, staticcheck and the whole suite on SQLite and
# PostgreSQL. Nothing is skipped:
# CI=true turns every "not available" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"

log() { printf '\n== %s\n' "$*"; }

need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils)
if [ "${#need_apt[@]}" -gt 0 ]; then
  log "installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# PostgreSQL: start the local cluster if it is installed but not running.
if [ -z "${KUMBARA_TEST_POSTGRES:-}" ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL"
    ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$ver" ]; then
      echo "PostgreSQL is not installed and could not be installed" >&2
      exit 1
    fi
    if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver *main"; then
      pg_createcluster "$ver" main >/dev/null
    fi
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  # The tests create and drop their own databases; they need a role that may.
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    export KUMBARA_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
  else
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
    export KUMBARA_TEST_POSTGRES='postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable'
  fi
fi
echo "PostgreSQL for tests: ${KUMBARA_TEST_POSTGRES%%@*}@…"

log "go vet"
go vet ./...

log "staticcheck"
if ! command -v staticcheck >/dev/null 2>&1 && [ ! -x "$(go env GOPATH)/bin/staticcheck" ]; then
  go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi
PATH="$PATH:$(go env GOPATH)/bin" staticcheck ./...

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

log "OpenAPI lint (Redocly CLI)"
# Pinned; 2.77 runs on Node.js 20.19+ (or 22.12+). Installed once into a cache folder, outside the repository.
redocly_version=2.77.0
redocly_dir="${XDG_CACHE_HOME:-$HOME/.cache}/kumbara/redocly-cli-$redocly_version"
redocly="$redocly_dir/node_modules/.bin/redocly"
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "Redocly CLI $redocly_version needs Node.js 20.19+ or 22.12+; this is $(node -v)" >&2
  exit 1
fi
if [ ! -x "$redocly" ]; then
  npm install --prefix "$redocly_dir" --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version"
fi
# redocly.yaml (recommended rules, warnings as errors) and .redocly.lint-ignore.yaml are at the repository root.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_NOTIFICATIONS=true "$redocly" lint

log "axe-core (accessibility rules for the browser tests)"
# Pinned, installed once into a cache folder outside the repository like Redocly CLI. The walk of every page
# (web/walk_browser_test.go) injects it into each page and fails on any violation; under CI it must be there.
axe_version=4.14.1
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/kumbara/axe-core-$axe_version"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
  npm install --prefix "$axe_dir" --no-audit --no-fund --loglevel=error "axe-core@$axe_version"
fi
export KUMBARA_AXE="$axe_dir/node_modules/axe-core/axe.min.js"

log "tests (SQLite and PostgreSQL)"
go test -count=1 -timeout 20m ./... 2>&1 | tee /tmp/kumbara-test.log
status=${PIPESTATUS[0]}
passed=$(grep -c '^ok ' /tmp/kumbara-test.log || true)
failed=$(grep -c '^FAIL' /tmp/kumbara-test.log || true)
echo "packages: ${passed} passed, ${failed} failed"

log "Lighthouse (login, summary, history, transfer form, profile)"
# After the tests, alone on the machine: Lighthouse's performance score reads the page's own CPU time.
lighthouse_status=0
./scripts/lighthouse.sh || lighthouse_status=$?
if [ "$status" -eq 0 ]; then status=$lighthouse_status; fi
exit "$status"
