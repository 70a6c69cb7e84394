#!/usr/bin/env bash
# Installs what aceo needs on Debian (fonts, poppler-utils for the tests),
# when it is missing. Safe to run again.
set -euo pipefail
pkgs=(hyphen-en-us fonts-noto-core fonts-noto-cjk fonts-noto-mono fonts-dejavu-core fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-droid-fallback poppler-utils)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
