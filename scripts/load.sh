#!/usr/bin/env bash
# Load test of the public catalogue on loopback, with wrk: requests per
# second for the home page, then for 50 concurrent downloads of the
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
normal=$(awk '/Requests\/sec/ {print $2}' out/load-home.txt)
attacked=$(awk '/Requests\/sec/ {print $2}' out/load-attack.txt)
awk -v n="$normal" -v a="$attacked" 'BEGIN {
  r = a / n * 100
  printf "home page: %.0f requests/s normally, %.0f under attack: %.0f%%", n, a, r
  if (r > 50) { print " (above 50%: ok)" } else { print " (50% or less: FAILED)"; exit 1 }
}'
