#!/usr/bin/env bash
# Load test of the public catalogue on loopback, with wrk: requests per
# second for the home page, then for 50 concurrent downloads of the
# Chinese PDF of the sample Outlook. Uses the store of `make sample`
# (made first when missing). Usage: bash scripts/load.sh [seconds]
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
wrk -t2 -c64 -d"${secs}s" --latency "http://$addr/en/"
echo "== home page, gzip"
wrk -t2 -c64 -d"${secs}s" -H 'Accept-Encoding: gzip' "http://$addr/en/"
echo "== Chinese PDF of the Outlook, 50 concurrent downloads, ${secs}s"
wrk -t2 -c50 -d"${secs}s" "http://$addr/files/aceo-sample/2013/aceo-sample-zh.pdf"
