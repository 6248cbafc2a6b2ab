#!/usr/bin/env bash
# Lighthouse on the demo bank's main pages, in Debian's Chromium: login (signed out), then summary, history, the
# transfer form and the profile of a signed-in demo customer. Fails if a page scores below 95 for performance
# (Lighthouse's default: a mid-range phone on a throttled network, simulated) or below 100 for accessibility or
# best practices. Reports go to test-artifacts/lighthouse/. Called by scripts/test.sh; runs on its own too.
set -euo pipefail
cd "$(dirname "$0")/.."

lighthouse_version=12.8.2 # 13.x needs Node.js 22.19+
dir="${XDG_CACHE_HOME:-$HOME/.cache}/kumbara/lighthouse-$lighthouse_version"
lighthouse="$dir/node_modules/.bin/lighthouse"
if [ ! -x "$lighthouse" ]; then
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "lighthouse@$lighthouse_version"
fi
chromium=${KUMBARA_CHROMIUM:-$(command -v chromium)}

work=$(mktemp -d)
port=${KUMBARA_LIGHTHOUSE_PORT:-18479}
base="http://127.0.0.1:$port"
out=test-artifacts/lighthouse
mkdir -p "$out"
go build -o "$work/kumbara" ./cmd/kumbara
"$work/kumbara" serve --demo --addr "127.0.0.1:$port" --db "$work/kumbara.db" --log-level warn >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/login" && break; sleep 0.2; done

# Sign in as a customer would: password, then the SMS code from the demo inbox.
jar="$work/cookies"
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode username=100000001 --data-urlencode password=Kumbara2026 "$base/login"
# The code leaves through the outbox, so it may reach the inbox a moment after the password is taken.
code=
for _ in $(seq 1 50); do
  code=$(curl -fs "$base/dev/inbox" | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const m = (JSON.parse(s).messages || [])[0]; console.log(((m && m.body) || "").match(/\b\d{6}\b/)?.[0] || "") })')
  [ -n "$code" ] && break
  sleep 0.2
done
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "otp=$code" "$base/login/otp"
cookie=$(awk -F'\t' '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar")
account=$(curl -fs -b "$jar" "$base/summary" | grep -oE 'href="/accounts/[^/"]+"' | head -n 1 | cut -d'"' -f2)
if [ -z "$account" ]; then
  echo "lighthouse: could not sign in to the demo bank" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
headers=$(node -e 'console.log(JSON.stringify({Cookie: process.argv[1]}))' "$cookie")

run() { # name path [extra header JSON]
  local name=$1 path=$2
  local args=(--quiet --output=json --output-path="$out/$name.json"
    --only-categories=performance,accessibility,best-practices
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-quic")
  if [ $# -ge 3 ]; then args+=(--extra-headers="$3"); fi
  # Lighthouse sometimes fails to record the page load's trace in headless Chromium (NO_NAVSTART,
  # NO_FCP): that is a failed measurement, not a score, so it is taken again, up to three times in all.
  for attempt in 1 2 3; do
    if CHROME_PATH="$chromium" "$lighthouse" "$base$path" "${args[@]}" >/dev/null 2>"$work/lighthouse.log" &&
      ! grep -q '"runtimeError"' "$out/$name.json"; then
      return 0
    fi
    echo "lighthouse: $name: no measurement (attempt $attempt): $(grep -o 'Runtime error[^.]*' "$work/lighthouse.log" | head -n 1)" >&2
  done
  cat "$work/lighthouse.log" >&2
  return 1
}

run login /login
run summary /summary "$headers"
run history "$account/history" "$headers"
run transfer /transfers/own "$headers"
run profile /profile "$headers"

node - "$out" <<'JS'
const fs = require("fs"), path = require("path");
const dir = process.argv[2];
const want = { performance: 95, accessibility: 100, "best-practices": 100 };
let failed = false;
console.log("page        perf  a11y  best  (final URL)");
for (const name of ["login", "summary", "history", "transfer", "profile"]) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, name + ".json"), "utf8"));
  const s = {};
  for (const c of Object.keys(want)) s[c] = Math.round(r.categories[c].score * 100);
  console.log(name.padEnd(10), String(s.performance).padStart(5), String(s.accessibility).padStart(5),
    String(s["best-practices"]).padStart(5), " ", r.finalDisplayedUrl);
  if (name !== "login" && /\/login/.test(r.finalDisplayedUrl)) {
    console.log("  was sent to the login page: the session did not hold"); failed = true;
  }
  for (const [c, min] of Object.entries(want)) {
    if (s[c] >= min) continue;
    failed = true;
    for (const ref of r.categories[c].auditRefs) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`  ${c}: ${a.id} ${a.score} ${a.displayValue || ""}`);
    }
  }
}
process.exit(failed ? 1 : 0);
JS
