#!/usr/bin/env bash
# Installs CRIU 4.x into a private prefix, for lp4j-native checkpoint/restore.
# Debian 12's criu 3.17 fails on kernels that map [vvar_vclock] (criu issue #2532); trixie's
# 4.1.1 dumps no process holding a TCP socket on kernels >= 6.16 ("Can't get 1:16 opt", criu
# issue #2718, fixed in 4.2). So we take criu >= 4.2 from Debian testing (forky), which needs a
# newer glibc than Debian 12's: we fetch its .debs and their dependency closure with a private
# apt state (own sources list, lists, cache, empty dpkg status), unpack them with dpkg -x into
# PREFIX, and run criu through PREFIX's own loader. The system's apt state and libc are untouched.
#
# What is installed, and how it is verified (issue 14). Debian testing moves, so an exact pinned
# version would vanish from the archive within weeks and break CI on a fresh machine. Instead:
#  - the version is pinned to a range, CRIU >= 4.2 and < 5 (4.2 is the first that works on this
#    kernel; 5.x is untested), and anything outside it is refused before it is unpacked;
#    LP4J_CRIU_VERSION=4.2.1-1 pins one exact Debian version instead (refused if the suite lacks it);
#  - every byte is verified through apt's signed chain: the suite's InRelease must be signed by a
#    key in /usr/share/keyrings/debian-archive-keyring.gpg (signed-by, nothing else trusted), its
#    Packages index must match the hash in InRelease, and each .deb the SHA256 in that index.
#    apt does this itself; the options below forbid every way to switch it off (unsigned or
#    insecure repositories, unauthenticated packages), whatever /etc/apt/apt.conf.d says, and the
#    script checks each .deb's sha256 against the verified index once more before unpacking;
#  - the exact versions and sha256 installed are printed and kept in PREFIX/INSTALLED.
# An exact pin of an older build stays possible through a snapshot: set LP4J_DEBIAN_MIRROR to
# https://snapshot.debian.org/archive/debian/YYYYMMDDT000000Z/ (its Release is signed by the
# same keys) and LP4J_CRIU_VERSION to the version it holds.
#
# Idempotent: a second run checks the installed criu answers and exits at once.
# Usage: native/install-criu.sh [--force]
# env: LP4J_CRIU_PREFIX (default /opt/livepatch4j/criu), LP4J_CRIU_SUITE (default forky),
#      LP4J_DEBIAN_MIRROR (default: the Debian archive in this machine's apt sources),
#      LP4J_CRIU_VERSION (default: any Debian version of CRIU >= 4.2 and < 5)
# Exit codes: 0 installed (or already there), 1 failed or refused (the message says why).
set -euo pipefail

PREFIX="${LP4J_CRIU_PREFIX:-/opt/livepatch4j/criu}"
SUITE="${LP4J_CRIU_SUITE:-forky}"
MIN_VERSION="4.2"                     # first release that dumps TCP sockets on kernels >= 6.16
BELOW_VERSION="5"                     # refused from here on: a new major release is untested
EXACT_VERSION="${LP4J_CRIU_VERSION:-}"

LOADER="$PREFIX/usr/lib64/ld-linux-x86-64.so.2"
LIBDIR="$PREFIX/usr/lib/x86_64-linux-gnu"
CRIU_BIN="$PREFIX/usr/sbin/criu"
WRAPPER="$PREFIX/bin/criu"

die() { echo "install-criu: $*" >&2; exit 1; }

installed_version() {
  [[ -x "$WRAPPER" ]] || return 1
  "$WRAPPER" --version 2>/dev/null | sed -n 's/^Version: *//p'
}

# version_ok V: MIN_VERSION <= V < BELOW_VERSION, compared field by field.
version_ok() {
  [[ "$(printf '%s\n%s\n' "$MIN_VERSION" "$1" | sort -V | head -n1)" == "$MIN_VERSION" ]] \
    && [[ "$(printf '%s\n%s\n' "$BELOW_VERSION" "$1" | sort -V | head -n1)" != "$BELOW_VERSION" ]]
}

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
          -o "APT::Architecture=amd64" -o "APT::Architectures=amd64" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
          # The signed chain, never switched off: no unsigned or downgraded repository, no package
          # without a verified hash, release files must not have expired.
          -o "Acquire::AllowInsecureRepositories=false" -o "Acquire::AllowDowngradeToInsecureRepositories=false"
          -o "Acquire::AllowWeakRepositories=false" -o "APT::Get::AllowUnauthenticated=false"
          -o "Acquire::Check-Valid-Until=true" -o "Acquire::Languages=none")

echo "install-criu: fetching criu and its libraries from Debian $SUITE into $PREFIX"
rm -rf "$state/lists"; mkdir -p "$state/lists/partial"   # no index from an earlier run is trusted
apt-get "${APT_OPTS[@]}" -qq update \
  || die "apt-get update of $SUITE failed (above): the archive at $mirror must be reachable and its Release signed by a key in $keyring."
ls "$state/lists"/*InRelease >/dev/null 2>&1 \
  || die "apt fetched no signed InRelease for $SUITE from $mirror; refusing unsigned indexes."

# The candidate criu, checked against the pin before anything is downloaded.
candidate="$(apt-cache "${APT_OPTS[@]}" policy criu | sed -n 's/^ *Candidate: *//p')"
[[ -n "$candidate" && "$candidate" != "(none)" ]] || die "Debian $SUITE lists no criu package; try LP4J_CRIU_SUITE=sid."
if [[ -n "$EXACT_VERSION" ]]; then
  apt-cache "${APT_OPTS[@]}" madison criu | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$EXACT_VERSION" \
    || die "LP4J_CRIU_VERSION=$EXACT_VERSION is not in Debian $SUITE at $mirror (it has $candidate); pin a version it holds, or point LP4J_DEBIAN_MIRROR at a snapshot.debian.org date that has it."
  candidate="$EXACT_VERSION"
fi
upstream="${candidate#*:}"; upstream="${upstream%%-*}"; upstream="${upstream%%+*}"
version_ok "$upstream" \
  || die "Debian $SUITE offers criu $candidate; this installs only CRIU >= $MIN_VERSION and < $BELOW_VERSION (older ones fail on this kernel, newer ones are untested). Set LP4J_CRIU_VERSION to a 4.x version the suite holds."
# criu and everything it depends on in that suite, libc6 and the loader included.
packages=($(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
              --no-breaks --no-replaces --no-enhances criu | grep -v '^[ <]' | sort -u))
[[ " ${packages[*]} " == *" criu "* && " ${packages[*]} " == *" libc6 "* ]] \
  || die "Debian $SUITE lists no criu package (or its libc6); try LP4J_CRIU_SUITE=sid."
wanted=()
for p in "${packages[@]}"; do [[ "$p" == criu ]] && wanted+=("criu=$candidate") || wanted+=("$p"); done
rm -f "$state/debs"/*.deb
(cd "$state/debs" && apt-get "${APT_OPTS[@]}" -qq download "${wanted[@]}") \
  || die "downloading the $SUITE packages failed (above); apt refuses a .deb whose hash differs from the signed index."

# Each .deb once more against the SHA256 of the verified index, and a record of what is installed.
manifest="$state/INSTALLED"
: > "$manifest"
for deb in "$state/debs"/*.deb; do
  name="$(dpkg-deb -f "$deb" Package)"; ver="$(dpkg-deb -f "$deb" Version)"
  want="$(apt-cache "${APT_OPTS[@]}" show "$name=$ver" 2>/dev/null | sed -n 's/^SHA256: *//p' | head -n1)"
  got="$(sha256sum "$deb" | cut -d' ' -f1)"
  [[ -n "$want" && "$want" == "$got" ]] \
    || die "$(basename "$deb"): sha256 $got is not the one in Debian $SUITE's signed index (${want:-none}); refusing to install it. Run again; if it persists, the mirror $mirror serves altered files."
  echo "$name $ver sha256:$got" >> "$manifest"
done
grep -q "^criu $candidate " "$manifest" || die "the downloaded criu is not version $candidate; refusing."

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
cp "$manifest" "$tmp/INSTALLED"

rm -rf "$PREFIX"
mv "$tmp" "$PREFIX"
trap - EXIT

v="$(installed_version)" || die "the installed criu does not run: try '$WRAPPER --version' to see why."
version_ok "$v" || die "the installed criu says version $v, outside >= $MIN_VERSION and < $BELOW_VERSION; refusing it: remove $PREFIX and run again."
echo "install-criu: installed CRIU $v ($(grep '^criu ' "$PREFIX/INSTALLED")) in $PREFIX (run it as $WRAPPER); every package's version and sha256: $PREFIX/INSTALLED"
