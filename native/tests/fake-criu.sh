#!/bin/sh
# A stand-in for criu in the C tests: records each call's arguments in $FAKE_CRIU_LOG and acts
# like CRIU 4.2 on a kernel with dirty tracking, so the pre-dump flow (folders, parent links,
# flags) can be tested where the real kernel cannot pre-dump. FAKE_CRIU_FAIL=dump makes dump fail;
# FAKE_CRIU_VERSION=X.Y.Z and FAKE_CRIU_CHECK_FAIL=1 play an old CRIU and a kernel it refuses;
# FAKE_CRIU_NO_FEATURE=NAME plays a kernel without that feature (check --feature NAME fails).
echo "$*" >> "${FAKE_CRIU_LOG:-/dev/null}"
case "$1" in
  --version) echo "Version: ${FAKE_CRIU_VERSION:-4.2.1}"; exit 0 ;;
  check)
    if [ "$2" = --feature ] && [ "$3" = "${FAKE_CRIU_NO_FEATURE:-}" ]; then
      echo "Error (criu/cr-check.c:1300): $3 is not supported"; exit 1
    fi
    if [ -n "${FAKE_CRIU_CHECK_FAIL:-}" ]; then
      echo "Error (criu/cr-check.c:80): Can't open /dev/ptmx: No such device"; exit 1
    fi
    exit 0 ;;
esac
action="$1"; dir=""; pidfile=""
while [ $# -gt 0 ]; do
  case "$1" in
    -D) dir="$2"; shift ;;
    --pidfile) pidfile="$2"; shift ;;
    -t) pid="$2"; shift ;;
  esac
  shift
done
if [ "$action" = "${FAKE_CRIU_FAIL:-none}" ]; then
  echo "Error (criu/sk-inet.c:200): inet: Connected TCP socket, consider using --tcp-established option." > "$dir/$action.log"
  exit 1
fi
case "$action" in
  pre-dump|dump)
    head -c 8192 /dev/zero > "$dir/pages-1.img"
    [ "$action" = dump ] && : > "$dir/inventory.img" && : > "$dir/core-$pid.img"
    printf 'Displaying dump stats:\nFreezing time: 100 us\nFrozen time: 2500 us\nMemory pages scanned: 4 (0x4)\nMemory pages skipped from parent: 1 (0x1)\nMemory pages written: 2 (0x2)\n' ;;
  restore)
    echo 4242 > "$pidfile"
    printf 'Displaying restore stats:\nPages restored: 2 (0x2)\nRestore time: 1500 us\n' ;;
esac
exit 0
