#!/usr/bin/env bash
# make deps: install what the suite and the lab need; idempotent, quiet when all is there.
# Debian packages are the real peers the tests start on loopback (Kamailio, SIPp, dnsmasq, TFTP),
# the references codecs are checked against (libspandsp, libbcg729, libopus) and the browser for UI tests.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(kamailio sip-tester dnsmasq-base tftpd-hpa tshark libspandsp-dev libbcg729-dev libopus-dev chromium util-linux iproute2 openssl)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]} (run 'make deps' as root)" >&2
    exit 2
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts some daemons on install; the tests start their own on loopback ports.
  for svc in kamailio tftpd-hpa; do
    (service "$svc" stop || true) >/dev/null 2>&1
  done
fi

# npm packages exactly as the lock file says; reinstall only when the lock changed.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.deps-stamp 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.deps-stamp
fi

# Optional node-gyp addons: built when missing or older than their source; a failed build is a
# warning (the product runs without them).
build_addon() { # name, what, what happens without it
  local dir="native/$1" addon="native/$1/build/Release/$1.node"
  if [ -f "$addon" ] && [ ! "$dir/$1.c" -nt "$addon" ] && [ ! "$dir/binding.gyp" -nt "$addon" ]; then return 0; fi
  local gyp
  gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  if (cd "$dir" && node "$gyp" rebuild --nodedir=/usr --loglevel=error) >"/tmp/vphone-$1-build.log" 2>&1; then
    echo "deps: built the $2"
  else
    echo "deps: warning: the optional $2 did not build (see /tmp/vphone-$1-build.log); $3" >&2
  fi
}
# G.729A over libbcg729 (GPL-3.0, optional: without it the codec list simply lacks G729).
build_addon g729 "G.729A addon" "G729 stays unavailable"
# Batched UDP sockets for media (src/rtp/batch-udp.ts).
build_addon udp "batched UDP addon" "media uses node:dgram"
