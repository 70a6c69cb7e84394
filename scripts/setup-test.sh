#!/usr/bin/env bash
# Installs what the tests need beyond scripts/setup.sh: the MinIO server
# that the S3 tests start on a loopback port, Chromium for the browser
# test of the catalogue and axe-core (npm) for its accessibility checks.
# Safe to run again.
set -euo pipefail
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
bin="$(go env GOPATH)/bin/minio"
if ! command -v minio >/dev/null 2>&1 && [ ! -x "$bin" ]; then
  echo "installing the MinIO server for the storage tests (a few minutes, once)..." >&2
  go install "github.com/minio/minio@${MINIO_VERSION}"
fi
# Debian's Chromium for the catalogue's browser test (pipeline/portal)
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium for the browser test..." >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# axe-core (npm) for the browser test's accessibility checks of the
# catalogue's pages, kept in the user's cache directory
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/aceo/axe-core"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
  echo "installing axe-core for the accessibility checks..." >&2
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  mkdir -p "$axe_dir"
  npm install --prefix "$axe_dir" --no-audit --no-fund --silent axe-core@4.14.1 >/dev/null
fi
# SeaweedFS, the second S3 server the storage tests run against: its
# go.mod has a replace directive, so `go install` refuses it; the module
# is downloaded from the Go module proxy and built in a copy (about 5
# minutes on 2 cores, once), into $GOPATH/bin as MinIO is
SEAWEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6
weed_bin="$(go env GOPATH)/bin/weed"
if ! command -v weed >/dev/null 2>&1 && [ ! -x "$weed_bin" ]; then
  echo "building SeaweedFS for the storage tests (about 5 minutes, once)..." >&2
  src=$(go mod download -json "github.com/seaweedfs/seaweedfs@${SEAWEED_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { echo "could not download SeaweedFS ${SEAWEED_VERSION}" >&2; exit 1; }
  tmp=$(mktemp -d)
  cp -r "$src/." "$tmp/"
  chmod -R u+w "$tmp"
  (cd "$tmp" && GOFLAGS=-mod=mod go build -o "$weed_bin.tmp" ./weed)
  mv "$weed_bin.tmp" "$weed_bin"
  rm -rf "$tmp"
fi
