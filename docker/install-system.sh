#!/usr/bin/env bash
# System packages the farm needs: Debian's Chromium and the fonts its charts draw with.
# Used as it is by .ci/run, the README's commands and the Dockerfile, so all three install alike.
set -euo pipefail

# Extra package names may follow on the command line (the Dockerfile adds tini).
# The fonts are named in full, not left to what other packages bring (fontconfig needs only
# fonts-dejavu-core, a JDK brings fonts-dejavu-extra): the installed fonts are part of the render
# fingerprint, and a host and an image with the same list draw the same glyphs.
packages=(chromium fonts-noto-cjk fonts-dejavu-core fonts-dejavu-extra fontconfig "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system: ${packages[*]} already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-system: run as root or install sudo (needs: ${missing[*]})" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-system: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
