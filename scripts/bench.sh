#!/usr/bin/env bash
# Measures transfers over HTTP the way the performance note reports them: builds kumbara, starts a server on a
# fresh database (SQLite file, or a fresh PostgreSQL database), runs `kumbara bench` against it, stops the server.
#   scripts/bench.sh sqlite [clients] [duration] [audit|fx|cards]
#   scripts/bench.sh postgres [clients] [duration] [audit|fx|cards]   (needs a local PostgreSQL; also runs pgbench TPC-B)
# With "audit" the transfers are measured with their audit entries and without, alternating, in the same run; with
# "fx" conversions (a quote, then its execution, between each client's ALL and EUR accounts) against own transfers,
# alternating, in the same run, with the quotes' latency; with "cards" card authorisations from each client as a
# terminal through the card network sandbox (the server runs with --demo), then a clearing file of 100,000
# presentments.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
clients=${2:-32}
duration=${3:-20s}
compare=()
serveflags=()
case "${4:-}" in
audit) compare=(--compare-audit) ;;
fx) compare=(--fx) ;;
cards) compare=(--cards) serveflags=(--demo) ;;
esac
work=$(mktemp -d)
# The server and the load driver open the same bank, so they share its secret; a throwaway one per run.
export KUMBARA_SECRET="${KUMBARA_SECRET:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/kumbara" ./cmd/kumbara
addr=127.0.0.1:18089
case "$engine" in
sqlite) db="$work/bench.db" ;;
postgres)
  pg=${KUMBARA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS kumbara_bench" -c "CREATE DATABASE kumbara_bench"
  db="$pg/kumbara_bench?sslmode=disable"
  psql "$pg/postgres" -qc "CHECKPOINT"
  ;;
*) echo "usage: $0 sqlite|postgres [clients] [duration] [audit|fx|cards]" >&2; exit 2 ;;
esac
"$work/kumbara" serve --db "$db" --addr "$addr" --trusted-proxies 127.0.0.1/32 --bench-audit-switch ${serveflags[@]+"${serveflags[@]}"} >/dev/null 2>"$work/server.log" &
server=$!
for _ in $(seq 1 50); do curl -fs "http://$addr/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
"$work/kumbara" bench --url "http://$addr" --db "$db" --clients "$clients" --duration "$duration" "${compare[@]}"
kill $server; wait $server 2>/dev/null || true
"$work/kumbara" verify --db "$db"
"$work/kumbara" audit verify --db "$db"
# The database's own limit at the same client count, measured after (its setup writes would disturb ours).
if [ "$engine" = postgres ] && command -v pgbench >/dev/null; then
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS kumbara_pgbench" -c "CREATE DATABASE kumbara_pgbench"
  pgbench -q -i -s 10 "$pg/kumbara_pgbench" >/dev/null 2>&1
  psql "$pg/postgres" -qc "CHECKPOINT"
  echo "pgbench TPC-B, $clients clients: $(pgbench -c "$clients" -j 2 -T "${duration%s}" "$pg/kumbara_pgbench" 2>/dev/null | grep -o 'tps = [0-9.]*')"
fi
