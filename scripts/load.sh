#!/usr/bin/env bash
# Load test of the public catalogue on loopback, with wrk: requests per
# second for the home page, the full-text search (queries asked again, as
# readers do, and new queries), a chapter's HTML page, then for concurrent
# downloads of the
# Chinese PDF of the sample Outlook; then the home page again under
# attack from another address (scripts/attack: 4 clients sending 50,000
# ranges, 500 connections trickling a request body a byte every 5 s),
# which should keep more than half its throughput. Uses the store of
# `make sample` (made first when missing).
# Usage: bash scripts/load.sh [seconds]   (ATTACK_ITEMS=999: Range headers
# just under the 1,000-item limit, which are read and merged)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
[ -f out/store/published/catalog.json ] || bash scripts/sample.sh >/dev/null
go build -o out/aceo ./cmd/aceo
addr=127.0.0.1:18080
out/aceo --store "file://$PWD/out/store" serve --listen "$addr" --access-log out/access.log 2>out/serve.log &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://$addr/healthz" >/dev/null && break
  sleep 0.1
done
echo "== home page (/en/), 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency "http://$addr/en/" | tee out/load-home.txt
echo "== full-text search (scripts/search.lua: 10 queries in turn, both languages), 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency -s scripts/search.lua "http://$addr" | tee out/load-search.txt
echo "== full-text search, every request a new query (scripts/search-uncached.lua), 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency -s scripts/search-uncached.lua "http://$addr" | tee out/load-search-new.txt
echo "== a chapter's HTML page (/en/publications/aceo-sample/air-quality/), 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency "http://$addr/en/publications/aceo-sample/air-quality/" | tee out/load-chapter.txt
echo "== home page, gzip"
wrk -t2 -c64 -d"${secs}s" -H 'Accept-Encoding: gzip' "http://$addr/en/"
echo "== Chinese PDF of the Outlook, 4 concurrent downloads (what one address may run), ${secs}s"
wrk -t2 -c4 -d"${secs}s" "http://$addr/files/aceo-sample/2013/aceo-sample-zh.pdf"
go build -o out/attack ./scripts/attack
echo "== home page under attack from 127.0.0.2: 4 multi-range clients, 500 slow-body connections"
out/attack -addr "$addr" -from 127.0.0.2 -items "${ATTACK_ITEMS:-50000}" -for "$((secs + 14))s" >out/attack.txt &
apid=$!
sleep 12 # past the 10 s grace: the slow connections are open and being cut
wrk -t2 -c64 -d"${secs}s" --latency "http://$addr/en/" | tee out/load-attack.txt
wait $apid
cat out/attack.txt
# wrk's 99th percentile in milliseconds
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else { sub(/s/, "", v); v *= 1000 }; print v }' "$1"; }
search=$(awk '/Requests\/sec/ {print $2}' out/load-search.txt)
awk -v r="$search" -v p="$(p99 out/load-search.txt)" -v rn="$(awk '/Requests\/sec/ {print $2}' out/load-search-new.txt)" -v pn="$(p99 out/load-search-new.txt)" 'BEGIN {
  printf "search: %.0f requests/s, p99 %.1f ms (new queries: %.0f requests/s, p99 %.1f ms)", r, p, rn, pn
  if (r >= 5000 && p <= 20) { print " (at least 5,000/s within 20 ms: ok)" } else { print " (FAILED: 5,000/s within 20 ms)"; exit 1 }
}'
awk -v r="$(awk '/Requests\/sec/ {print $2}' out/load-chapter.txt)" 'BEGIN {
  printf "chapter page: %.0f requests/s", r
  if (r >= 10000) { print " (at least 10,000/s: ok)" } else { print " (FAILED: 10,000/s)"; exit 1 }
}'
normal=$(awk '/Requests\/sec/ {print $2}' out/load-home.txt)
attacked=$(awk '/Requests\/sec/ {print $2}' out/load-attack.txt)
awk -v n="$normal" -v a="$attacked" 'BEGIN {
  r = a / n * 100
  printf "home page: %.0f requests/s normally, %.0f under attack: %.0f%%", n, a, r
  if (r > 50) { print " (above 50%: ok)" } else { print " (50% or less: FAILED)"; exit 1 }
}'
