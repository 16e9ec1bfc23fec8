#!/usr/bin/env bash
# Makes the Dockerfile's base image, docker.io/library/node:20-bookworm-slim, on a machine that
# reaches no image registry (CI), and saves it as a podman archive for test/container/ to load.
# It stands in for the official image in what the Dockerfile relies on: Debian bookworm with
# apt and deb.debian.org, node and npm in /usr/local with node's headers, and a `node` user
# (uid 1000). Built from this machine's own node binary, so the version matches the host's.
#
#   .ci/container-base.sh /path/to/node-20-bookworm-slim.tar   # does nothing if it exists
#
# Needs root, debootstrap and podman (.ci/run installs them). Storage is a temporary folder.
set -euo pipefail

out=${1:?usage: .ci/container-base.sh OUT.tar}
image=docker.io/library/node:20-bookworm-slim
if [ -s "$out" ]; then
  echo "ci: base image $image cached in $out"
  exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/larkgate-base-XXXXXX")
trap 'rm -rf "$work"' EXIT

# The mirror apt already uses here (the first URIs: of a deb822 source, else sources.list).
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

started=$(date +%s)
rootfs=$work/rootfs
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
node_prefix=$(dirname "$(dirname "$node_bin")")
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# The official image ships node's headers, which node-gyp compiles better-sqlite3 against.
cp -a "$node_prefix/include/node" "$rootfs/usr/local/include/node"
# npm inside the build fails certificate checks without this machine's CA bundle.
mkdir -p "$rootfs/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

export CONTAINERS_CONF=$here/containers.conf
podman=(podman --root "$work/storage" --runroot "$work/run" --storage-driver overlay)
tar -C "$rootfs" -c . | "${podman[@]}" import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$(node -p 'process.versions.node')" \
  --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
mkdir -p "$(dirname "$out")"
"${podman[@]}" save --quiet --format docker-archive -o "$out.partial" "$image" >/dev/null
mv "$out.partial" "$out"
echo "ci: made $image (node $(node --version)) in $(($(date +%s) - started)) s, saved to $out"
