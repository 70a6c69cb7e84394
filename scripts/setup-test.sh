#!/usr/bin/env bash
# Installs what the tests need beyond scripts/setup.sh: the MinIO server
# that the S3 tests start on a loopback port, and Chromium for the browser
# test of the catalogue. Safe to run again.
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
