#!/usr/bin/env bash
# Installs what the tests need beyond scripts/setup.sh: the MinIO server
# that the S3 tests start on a loopback port. Safe to run again.
set -euo pipefail
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
bin="$(go env GOPATH)/bin/minio"
if ! command -v minio >/dev/null 2>&1 && [ ! -x "$bin" ]; then
  echo "installing the MinIO server for the storage tests (a few minutes, once)..." >&2
  go install "github.com/minio/minio@${MINIO_VERSION}"
fi
