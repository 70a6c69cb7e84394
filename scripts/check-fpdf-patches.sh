#!/usr/bin/env bash
# Checks that third_party/fpdf is codeberg.org/go-pdf/fpdf v0.12.0 with the
# patches of third_party/fpdf/patches applied in order, and nothing else:
# applying them to the pristine release must reproduce the tree. Then runs
# upstream's own tests (which the copy leaves out, with their example
# files) on the patched tree. make test runs it; it needs the Go module
# proxy for the pristine release and upstream's test dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD/third_party/fpdf
ver=v0.12.0
dir=$(GOFLAGS=-mod=mod go mod download -json "codeberg.org/go-pdf/fpdf@$ver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "check-fpdf-patches: cannot download codeberg.org/go-pdf/fpdf@$ver"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$dir" "$tmp/fpdf"
chmod -R u+w "$tmp/fpdf"
for p in "$here"/patches/*.patch; do
  (cd "$tmp/fpdf" && git apply --whitespace=nowarn "$p") || { echo "check-fpdf-patches: $(basename "$p") does not apply to $ver"; exit 1; }
done
fail=0
for f in "$here"/*; do
  n=$(basename "$f")
  case $n in patches|PATCHES.md) continue ;; esac
  if ! diff -r "$f" "$tmp/fpdf/$n" >/dev/null 2>&1; then
    echo "check-fpdf-patches: third_party/fpdf/$n is not $ver with the patches applied: make a patch of the change (see PATCHES.md)"
    fail=1
  fi
done
for f in "$tmp"/fpdf/*.go; do
  n=$(basename "$f")
  case $n in *_test.go) continue ;; esac
  [ -f "$here/$n" ] || { echo "check-fpdf-patches: third_party/fpdf lacks $n of $ver"; fail=1; }
done
[ "$fail" = 0 ]
echo "check-fpdf-patches: third_party/fpdf is $ver with $(ls "$here"/patches/*.patch | wc -l) patches; running upstream's tests on it"
# ExampleFpdf_RegisterImageReader downloads an image from codeberg.org,
# which the test machines cannot reach; every other test runs
(cd "$tmp/fpdf" && GOFLAGS=-mod=mod go test -v -count=1 -skip '^ExampleFpdf_RegisterImageReader$' . >"$tmp/test.log" 2>&1) || { tail -40 "$tmp/test.log"; echo "check-fpdf-patches: upstream's tests fail on the patched tree"; exit 1; }
echo "check-fpdf-patches: upstream's tests pass: $(grep -c '^--- PASS' "$tmp/test.log" || true) tests and examples"

