#!/usr/bin/env bash
# mkcase.sh NAME "expect" "title" "match" SETUP_BODY OBSERVE_LINES
# Writes agent/src/test/fidelity/NAME/{case.properties,both/fid/NAME/Probe.java}
set -e
root="$(cd "$(dirname "$0")/../.." && pwd)"
c="$root/agent/src/test/fidelity/$1"
mkdir -p "$c/both/fid/$1" "$c/v1/fid/$1" "$c/v2/fid/$1"
printf 'title=%s\nexpect=%s\nmatch=%s\nissue=11\n' "$3" "$2" "$4" > "$c/case.properties"
cat > "$c/both/fid/$1/Probe.java" <<JAVA
package fid.$1;

import java.io.*;
import java.lang.invoke.*;
import java.lang.reflect.*;
import java.util.*;
import java.util.function.*;

/** The fidelity probe of this case: setup() before the patch, observe() after it. */
public class Probe {
    public static void setup() { $5 }
    public static String observe() {
        StringBuilder s = new StringBuilder();
$6
        return s.toString();
    }

    interface Line { Object get() throws Throwable; }

    static void line(StringBuilder s, String label, Line l) {
        String v;
        try {
            v = String.valueOf(l.get());
        } catch (Throwable e) {
            v = "threw " + e.getClass().getName();
        }
        s.append(label).append(": ").append(v).append('\n');
    }
}
JAVA
