#!/usr/bin/env bash
# Runs a command inside a QEMU guest that boots Debian 12's own kernel (built with
# CONFIG_MEM_SOFT_DIRTY, which the project's VM kernel lacks), so that CRIU's iterative
# pre-dumps can be exercised and measured. The guest sees this machine's root file system
# read-only over 9p (same JDK, same CRIU prefix, same repo), gets tmpfs on /tmp, /run and
# /dev/shm, and writes results to OUT (mounted at /mnt in the guest).
#
# usage: sudo native/bench/predump-vm.sh [--out DIR] [--mem 14G] [--cpus 2] [--accel tcg|kvm] -- CMD...
#   e.g. ... -- native/bench/criu-bench.sh --heaps 256m,1g --runs 3 --churn 2000 --out /mnt
#        ... -- make -C native itest
# CMD runs from the repo's root in the guest. Needs qemu-system-x86 and busybox-static (apt).
# --accel defaults to tcg (software emulation): nested KVM did not boot on the project's
# machines. Timings in an emulated guest are not this machine's; compare them with each other.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$(dirname "$HERE")")"
OUT="$ROOT/docs/results/native/vm" MEM=14G CPUS=2 ACCEL=tcg
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --mem) MEM="$2"; shift 2 ;;
    --cpus) CPUS="$2"; shift 2 ;;
    --accel) ACCEL="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--out DIR] [--mem 14G] [--cpus 2] [--accel tcg|kvm] -- CMD..." >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "predump-vm: no command given after --" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "predump-vm: run as root (the guest runs CRIU as root over a passthrough 9p share)" >&2; exit 1; }
for tool in qemu-system-x86_64 busybox; do
  command -v $tool >/dev/null || { echo "predump-vm: $tool is missing: apt-get install qemu-system-x86 busybox-static" >&2; exit 1; }
done

CACHE=/var/cache/livepatch4j/vm
mkdir -p "$CACHE" "$OUT"
# Debian's current kernel image package; downloaded once, unpacked, never installed.
pkg="$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)"
[[ -n "$pkg" ]] || { echo "predump-vm: apt-cache knows no linux-image-amd64; run apt-get update" >&2; exit 1; }
K="$CACHE/$pkg"
if [[ ! -d "$K/boot" ]]; then
  (cd "$CACHE" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
  dpkg -x "$CACHE/${pkg}"_*.deb "$K"
fi
kver="${pkg#linux-image-}"
grep -q '^CONFIG_MEM_SOFT_DIRTY=y' "$K/boot/config-$kver" || echo "predump-vm: warning: $pkg lacks CONFIG_MEM_SOFT_DIRTY"

# Modules, dependencies first: virtio and 9p for the root file system; what `criu check` probes.
MODS="$K/lib/modules/$kver/kernel"
declare -A seen
order=()
add_module() {
  local f; f="$(find "$MODS" -name "$1.ko" | head -n1)"
  [[ -n "$f" ]] || { echo "predump-vm: module $1 not in $pkg" >&2; exit 1; }
  [[ -n "${seen[$1]:-}" ]] && return 0
  seen[$1]=1
  local d
  for d in $(strings "$f" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$d"; done
  order+=("$f")
}
for m in virtio_pci 9pnet_virtio 9p unix_diag inet_diag tcp_diag udp_diag raw_diag netlink_diag \
         af_packet_diag tun veth crc32c_generic nf_tables; do add_module "$m"; done

INITRD="$(mktemp -d)"
trap 'rm -rf "$INITRD"' EXIT
mkdir -p "$INITRD"/{bin,mods,proc,sys,dev,newroot}
cp "$(command -v busybox)" "$INITRD/bin/busybox"
for f in "${order[@]}"; do cp "$f" "$INITRD/mods/"; basename "$f" >> "$INITRD/mods/order"; done
cat > "$INITRD/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m || echo "guest: insmod $m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /newroot || { echo "guest: no root"; poweroff -f; }
mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o ptmxmode=0666 devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
mount -t tmpfs tmpfs /newroot/tmp
mount -t tmpfs tmpfs /newroot/run
mount -t proc proc /newroot/proc
mount -t sysfs sys /newroot/sys
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /newroot/mnt
ip link set lo up
echo "guest: kernel $(uname -r), $(nproc) cpus, $(grep MemTotal /proc/meminfo | tr -s ' ')"
exec switch_root /newroot /bin/bash -c 'cd "$(cat /mnt/.guest-dir)" && bash /mnt/.guest-cmd.sh; echo "guest: exit $?"; echo o > /proc/sysrq-trigger; sleep 30'
INIT
chmod +x "$INITRD/init"
(cd "$INITRD" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$INITRD.gz")

printf '%s\n' "$ROOT" > "$OUT/.guest-dir"
printf '%q ' "$@" > "$OUT/.guest-cmd.sh"
echo "predump-vm: booting $pkg ($ACCEL, $CPUS cpus, $MEM) to run: $*"
accel=(-accel tcg,thread=multi -cpu max)
[[ "$ACCEL" == kvm ]] && accel=(-enable-kvm -cpu host)
qemu-system-x86_64 "${accel[@]}" -smp "$CPUS" -m "$MEM" -nographic -no-reboot -net none \
  -kernel "$K/boot/vmlinuz-$kver" -initrd "$INITRD.gz" -append "console=ttyS0 quiet panic=-1" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap \
  -virtfs "local,path=$OUT,mount_tag=out,security_model=passthrough" 2>&1 \
  | grep --line-buffered -v -e '^\[ *[0-9.]*\]' -e 'SeaBIOS' -e 'Booting from ROM' \
  | sed -u -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/^c//'
rm -f "$INITRD.gz" "$OUT/.guest-cmd.sh" "$OUT/.guest-dir"
