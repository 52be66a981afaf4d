#!/usr/bin/env bash
# Installs CRIU 4.x into a private prefix, for lp4j-native checkpoint/restore.
# Debian 12's criu 3.17 fails on kernels that map [vvar_vclock] (criu issue #2532); trixie's
# 4.1.1 dumps no process holding a TCP socket on kernels >= 6.16 ("Can't get 1:16 opt", criu
# issue #2718, fixed in 4.2). So we take criu >= 4.2 from Debian testing (forky), which needs a
# newer glibc than Debian 12's: we fetch its .debs and their dependency closure with a private
# apt state (own sources list, lists, cache, empty dpkg status), unpack them with dpkg -x into
# PREFIX, and run criu through PREFIX's own loader. The system's apt state and libc are untouched.
#
# Idempotent: a second run checks the installed criu answers and exits at once.
# Usage: native/install-criu.sh [--force]
# env: LP4J_CRIU_PREFIX (default /opt/livepatch4j/criu), LP4J_CRIU_SUITE (default forky),
#      LP4J_DEBIAN_MIRROR (default: the Debian archive in this machine's apt sources)
set -euo pipefail

PREFIX="${LP4J_CRIU_PREFIX:-/opt/livepatch4j/criu}"
SUITE="${LP4J_CRIU_SUITE:-forky}"
MIN_VERSION="4.2"                     # first release that dumps TCP sockets on kernels >= 6.16

LOADER="$PREFIX/usr/lib64/ld-linux-x86-64.so.2"
LIBDIR="$PREFIX/usr/lib/x86_64-linux-gnu"
CRIU_BIN="$PREFIX/usr/sbin/criu"
WRAPPER="$PREFIX/bin/criu"

die() { echo "install-criu: $*" >&2; exit 1; }

installed_version() {
  [[ -x "$WRAPPER" ]] || return 1
  "$WRAPPER" --version 2>/dev/null | sed -n 's/^Version: *//p'
}

# version_ok V: V >= MIN_VERSION, compared field by field.
version_ok() { [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$1" | sort -V | head -n1)" == "$MIN_VERSION" ]]; }

if [[ "${1:-}" != "--force" ]]; then
  if v="$(installed_version)" && [[ -n "$v" ]] && version_ok "$v"; then
    echo "install-criu: CRIU $v already installed in $PREFIX (nothing to do; --force reinstalls)"
    exit 0
  fi
fi

[[ "$(uname -m)" == x86_64 ]] || die "only x86-64 is supported (this machine is $(uname -m))."
[[ $EUID -eq 0 ]] || die "must run as root: it writes $PREFIX. Run it with sudo, or set LP4J_CRIU_PREFIX to a folder you own."
command -v apt-get >/dev/null && command -v dpkg >/dev/null \
  || die "needs apt-get and dpkg (a Debian or Ubuntu machine); on another distribution install CRIU >= 4.1 yourself and set LP4J_CRIU to its path."

# The Debian archive this machine already uses, so we reach the same registry as apt itself.
mirror="${LP4J_DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
            | awk '/^URIs:/ {print $2}' | grep -v -- '-security' | head -n1 || true)"
fi
if [[ -z "$mirror" ]]; then
  mirror="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)"
fi
[[ -n "$mirror" ]] || die "found no Debian archive in /etc/apt/sources.list*; set LP4J_DEBIAN_MIRROR to one (the URL you would put in sources.list)."

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$keyring" ]] || die "$keyring is missing: apt-get install debian-archive-keyring (it carries the signing keys of Debian testing)."

state="$PREFIX.apt"                   # private apt state, beside the prefix, never /var/lib/apt
mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/cache" "$state/debs"
echo "deb [signed-by=$keyring] $mirror $SUITE main" > "$state/sources.list"
: > "$state/status"                   # an empty dpkg status: we install nothing, only download
APT_OPTS=(-o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
          -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
          -o "Dir::Cache::Archives=$state/archives" -o "Dir::State::Status=$state/status"
          -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
          -o "APT::Architecture=amd64" -o "APT::Architectures=amd64" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")

echo "install-criu: fetching criu and its libraries from Debian $SUITE into $PREFIX"
apt-get "${APT_OPTS[@]}" -qq update \
  || die "apt-get update of $SUITE failed (above). The archive at $mirror must be reachable."
# criu and everything it depends on in that suite, libc6 and the loader included.
packages=($(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
              --no-breaks --no-replaces --no-enhances criu | grep -v '^[ <]' | sort -u))
[[ " ${packages[*]} " == *" criu "* && " ${packages[*]} " == *" libc6 "* ]] \
  || die "Debian $SUITE lists no criu package (or its libc6); try LP4J_CRIU_SUITE=sid."
rm -f "$state/debs"/*.deb
(cd "$state/debs" && apt-get "${APT_OPTS[@]}" -qq download "${packages[@]}") \
  || die "downloading the $SUITE packages failed (above)."

tmp="$(mktemp -d "$PREFIX.new.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
for deb in "$state/debs"/*.deb; do dpkg -x "$deb" "$tmp"; done
[[ -x "$tmp/usr/sbin/criu" && -e "$tmp/usr/lib64/ld-linux-x86-64.so.2" ]] \
  || die "the unpacked packages lack usr/sbin/criu or the loader; the package list in $0 is out of date."

mkdir -p "$tmp/bin"
cat > "$tmp/bin/criu" <<WRAP
#!/bin/sh
# Runs Debian $SUITE's criu with its own glibc (installed by livepatch4j native/install-criu.sh).
exec "$LOADER" --library-path "$LIBDIR" "$CRIU_BIN" "\$@"
WRAP
chmod 755 "$tmp/bin/criu"

rm -rf "$PREFIX"
mv "$tmp" "$PREFIX"
trap - EXIT

v="$(installed_version)" || die "the installed criu does not run: try '$WRAPPER --version' to see why."
version_ok "$v" || die "Debian $SUITE has criu $v, older than $MIN_VERSION which this kernel needs; try LP4J_CRIU_SUITE=sid."
echo "install-criu: installed CRIU $v in $PREFIX (run it as $WRAPPER)"
