#!/usr/bin/env bash
# Builds (or reuses) a Debian 13 "trixie" root holding GIMP 3 and what building the GIMP 3
# plug-in needs, for `make test-gimp3` on a Debian 12 machine (which ships GIMP 2.10 only).
#
# usage: plugin-gimp/tests/gimp3-root.sh ROOT          (as root; needs debootstrap)
#
# The root is cached: a finished one has ROOT/.autorestore-root listing its packages and is
# reused as is (packages added to the list below are installed into it). Remove ROOT to start
# over. Only Debian's mirror is used: the first Debian URI in this machine's
# /etc/apt/sources.list*, else $DEBIAN_MIRROR, else http://deb.debian.org/debian.
set -euo pipefail

root=${1:?usage: gimp3-root.sh ROOT}
suite=${GIMP3_SUITE:-trixie}
pkgs=(gimp libgimp-3.0-dev gcc libc6-dev make pkg-config xvfb xdotool x11-apps)
stamp=$root/.autorestore-root

[ "$(id -u)" = 0 ] || { echo "gimp3-root: building a chroot needs root" >&2; exit 1; }

# Runs a command in the root with /proc mounted, in a private mount namespace: the mounts go
# away with the command, nothing is left mounted on the host.
in_root() {
  unshare --mount --fork chroot "$root" /bin/sh -c \
    'mount -t proc proc /proc && export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin && exec "$@"' \
    sh "$@"
}

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${pkgs[*]}" ]; then
  exit 0
fi

t0=$(date +%s)
if [ ! -f "$stamp" ]; then
  mirror=${DEBIAN_MIRROR:-}
  if [ -z "$mirror" ]; then
    # One-line (deb URI suite ...) and deb822 (URIs: ...) formats; skip the security archive.
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' -e 's/^URIs: *//p' | tr ' ' '\n' \
      | grep -E '^https?://.*/debian/?$' | grep -v -- '-security' | head -1 || true)
  fi
  mirror=${mirror:-http://deb.debian.org/debian}
  command -v debootstrap >/dev/null || { echo "gimp3-root: debootstrap is missing (apt-get install -y debootstrap)" >&2; exit 1; }
  [ -f /usr/share/debootstrap/scripts/$suite ] || { echo "gimp3-root: this debootstrap does not know $suite" >&2; exit 1; }

  echo "gimp3-root: debootstrap --variant=minbase $suite $root $mirror"
  rm -rf "$root"
  mkdir -p "$(dirname "$root")"
  # A half-built root is never reused: the stamp is written last.
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
    || { tail -20 "$root.debootstrap.log" >&2; echo "gimp3-root: debootstrap failed (log: $root.debootstrap.log)" >&2; exit 1; }
  rm -f "$root.debootstrap.log"
fi

cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
echo "gimp3-root: apt-get install ${pkgs[*]}"
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >"$root.apt.log" 2>&1 \
  || { tail -20 "$root.apt.log" >&2; echo "gimp3-root: apt-get install failed" >&2; exit 1; }
in_root apt-get clean
rm -f "$root.apt.log"
echo "${pkgs[*]}" >"$stamp"
echo "gimp3-root: $root ready in $(( $(date +%s) - t0 )) s ($(in_root gimp-console-3.0 --version 2>/dev/null | head -1))"
