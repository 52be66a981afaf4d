package io.livepatch4j.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one case of the fidelity corpus came to: the build's classification against expect= and
 * match=, and, for a case the build carries, the patched JVMs' output against the fresh v2 JVM's.
 */
public record FidelityVerdict(FidelityCase c, FidelityBuild.Outcome build, FidelityChild.Run fresh,
                              FidelityChild.Run baseline, FidelityChild.Run prepared, FidelityChild.Run attach, List<String> failures) {

    public static FidelityVerdict of(FidelityCase c, FidelityBuild.Outcome build, FidelityChild.Run fresh,
                                     FidelityChild.Run baseline, FidelityChild.Run prepared, FidelityChild.Run attach) {
        List<String> failures = new ArrayList<>();
        if (!build.classification().equals(c.expect())) {
            failures.add("expected " + c.expect() + ", the build was " + build.classification() + messages(build));
        } else if (!c.match().isEmpty()) {
            List<String> where = c.expect().equals("refused") ? build.refusals()
                : c.expect().equals("reported") ? build.notCarried() : List.of();
            String m = c.match().toLowerCase(Locale.ROOT);
            if (!where.isEmpty() && where.stream().noneMatch(s -> s.toLowerCase(Locale.ROOT).contains(m))) {
                failures.add("no " + (c.expect().equals("refused") ? "refusal" : "NotCarried message") + " contains '"
                    + c.match() + "'" + messages(build));
            }
        }
        if (fresh == null) {
            failures.add("the fresh JVM did not report this case");
        } else if (brokenProbe(fresh.output())) {
            failures.add("the case itself fails on v2 without the agent (fix its Probe; observe() must return, and "
                + "catch per line):\n" + fresh.output().indent(8).stripTrailing());
        }
        if (!c.expect().equals("refused") && fresh != null && baseline != null && fresh.output().equals(baseline.output())) {
            failures.add("the case does not exercise its change: v1 (no agent) and v2 print the same; make observe() "
                + "show what v2 changed:\n" + fresh.output().indent(8).stripTrailing());
        }
        if (c.applyRefusal() != null) {
            refusedByAgent(c, "prepared", prepared, failures);
            refusedByAgent(c, "attach", attach, failures);
        } else if (build.classification().equals("carried") && fresh != null) {
            compare(c, "prepared", fresh, prepared, failures);
            compare(c, "attach", fresh, attach, failures);
        } else if (build.classification().equals("reported") && !c.equal().isEmpty() && fresh != null) {
            FidelityChild.Run carried = new FidelityChild.Run(fresh.apply(), labelled(fresh.output(), c.equal()));
            compare(c, "prepared", carried, labelledRun(prepared, c.equal()), failures);
            compare(c, "attach", carried, labelledRun(attach, c.equal()), failures);
        }
        return new FidelityVerdict(c, build, fresh, baseline, prepared, attach, List.copyOf(failures));
    }

    /** apply=refused: the agent refuses the patch the build wrote, with applyMatch= in its message. */
    private static void refusedByAgent(FidelityCase c, String mode, FidelityChild.Run patched, List<String> failures) {
        if (patched == null) {
            failures.add("the " + mode + " JVM did not report this case");
        } else if (patched.apply().equals("ok")) {
            failures.add(mode + ": the agent applied a patch it must refuse (apply=refused); it printed:\n"
                + patched.output().indent(8).stripTrailing());
        } else if (!patched.apply().toLowerCase(Locale.ROOT).contains(c.applyRefusal().toLowerCase(Locale.ROOT))) {
            failures.add(mode + ": the agent's refusal does not contain '" + c.applyRefusal() + "': " + patched.apply());
        }
    }

    private static void compare(FidelityCase c, String mode, FidelityChild.Run fresh, FidelityChild.Run patched,
                                List<String> failures) {
        String known = c.knownIn(mode);
        if (patched != null && known != null) {
            patched = new FidelityChild.Run(patched.apply(), withoutLinesContaining(patched.output(), known));
            fresh = new FidelityChild.Run(fresh.apply(), withoutLinesContaining(fresh.output(), known));
        }
        if (patched == null) {
            failures.add("the " + mode + " JVM did not report this case");
        } else if (!patched.apply().equals("ok")) {
            failures.add(mode + ": the patch was not applied: " + patched.apply());
        } else if (!patched.output().equals(fresh.output())) {
            failures.add(mode + " output differs from fresh v2:\n" + sideBySide(fresh.output(), patched.output(), mode));
        }
    }

    private static FidelityChild.Run labelledRun(FidelityChild.Run run, List<String> labels) {
        return run == null ? null : new FidelityChild.Run(run.apply(), labelled(run.output(), labels));
    }

    /** The output lines whose label ("label: value") starts with one of {@code labels}. */
    private static String labelled(String output, List<String> labels) {
        StringBuilder out = new StringBuilder();
        output.lines().filter(l -> labels.stream().anyMatch(l::startsWith)).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static String withoutLinesContaining(String output, String text) {
        String kept = String.join("\n", output.lines().filter(l -> !l.contains(text)).toList());
        return output.endsWith("\n") ? kept + "\n" : kept;
    }

    /** The runner's words for a setup() or observe() that threw or hung, or a Probe it could not load. */
    private static boolean brokenProbe(String output) {
        return output.startsWith("probe not loadable") || output.contains("setup failed: ")
            || output.contains("observe failed: ");
    }

    /** yes, no, apply failed, or n/a, for the results table. */
    public String equalInTable(FidelityChild.Run patched) {
        if (fresh == null || patched == null) {
            return "not run";
        }
        if (patched.apply().startsWith("failed") || patched.apply().startsWith("timeout")) {
            return "apply failed";
        }
        String same = patched.output().equals(fresh.output()) ? "yes" : "no";
        return patched.apply().equals("none") ? same + " (no patch)" : same;
    }

    /** Whether v1 (no agent) and v2 print differently, for the results table. */
    public String changesInTable() {
        return fresh == null || baseline == null ? "not run" : fresh.output().equals(baseline.output()) ? "no" : "yes";
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    private static String messages(FidelityBuild.Outcome b) {
        StringBuilder s = new StringBuilder();
        b.refusals().forEach(r -> s.append("\n      refusal: ").append(r));
        b.notCarried().forEach(r -> s.append("\n      not carried: ").append(r));
        return s.toString();
    }

    /** The lines of both outputs, marking those that differ. */
    public static String sideBySide(String fresh, String patched, String mode) {
        List<String> a = fresh.lines().toList();
        List<String> b = patched.lines().toList();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(no line)";
            String y = i < b.size() ? b.get(i) : "(no line)";
            if (x.equals(y)) {
                s.append("        = ").append(x).append('\n');
            } else {
                s.append("      fresh:    ").append(x).append('\n');
                s.append("      ").append(String.format("%-10s", mode + ":")).append(y).append('\n');
            }
        }
        return s.toString().stripTrailing();
    }
}
