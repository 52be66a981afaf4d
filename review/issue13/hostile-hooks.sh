#!/usr/bin/env bash
# hostile-hooks.sh PATCH: rewrites the hooks of a patch that has some (e.g. the one blocking-preapply.sh
# builds) to name a JDK class, a class the patch does not add, an unknown kind, and a method that is
# not a static no-argument void one; each must be refused with a clear message before anything changes.
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$1"
for v in 'PRE_APPLY|java.lang.System|gc' 'PRE_APPLY|demo.Work|v' 'PRE_DESTROY|demo.BlockHooks|pre' 'PRE_APPLY|demo.BlockHooks|nosuch'; do
  IFS='|' read -r kind cls m <<<"$v"
  out=/tmp/r13-hostile-$kind-$m.lp4j
  python3 - "$src" "$out" "$kind" "$cls" "$m" <<'P'
import sys, zipfile, json
src, out, kind, cls, m = sys.argv[1:]
zin = zipfile.ZipFile(src)
zout = zipfile.ZipFile(out, 'w')
for i in zin.infolist():
    data = zin.read(i.filename)
    if i.filename == 'META-INF/livepatch4j/patch.json':
        j = json.loads(data)
        j['hooks'] = [{'kind': kind, 'class': cls, 'method': m}]
        data = json.dumps(j, indent=2).encode()
    zout.writestr(i, data)
zout.close()
P
  echo "== hook $kind $cls#$m"; "$root/lp4j" inspect "$out" 2>&1 | grep -i -m3 "hook\|refus\|corrupt\|error"; echo "inspect rc=${PIPESTATUS[0]}"
done
