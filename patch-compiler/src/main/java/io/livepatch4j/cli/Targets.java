package io.livepatch4j.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which JVM a command means, as jcmd finds it: a pid; or a name that the JVM's main class or jar
 * contains (jcmd's rule), an exact name (the class, its simple name, the jar's file name) winning
 * over a partial one; or, with neither, the one JVM of this user other than lp4j. More than one
 * match is refused with the candidates listed. Choosing a pid checks nothing: {@link TargetJvm}
 * makes every safety check on the pid chosen.
 */
final class Targets {

    /**
     * A JVM the Attach API lists: its pid, its main class or jar, as it was launched, and what the
     * Attach API shows of its command line (the main and its arguments).
     */
    record Candidate(long pid, String main, String commandLine) {
        @Override
        public String toString() {
            return pid + " " + main;
        }
    }

    private Targets() {}

    static long choose(Long pid, String name) throws Lp4jException {
        if (pid != null && name != null) {
            throw new Lp4jException(Lp4jException.USAGE, "give the JVM once: --pid " + pid + " or --main " + name
                + ", not both");
        }
        if (pid != null) {
            return pid;
        }
        return choose(name, others());
    }

    /** The pid {@code name} (null: none given) picks among {@code all}, or the refusal that lists them. */
    static long choose(String name, List<Candidate> all) throws Lp4jException {
        if (name != null && name.isBlank()) {
            throw new Lp4jException(Lp4jException.USAGE, "--main takes a main class or jar name (as 'lp4j list' shows "
                + "them), not '" + name + "', which every JVM's name contains");
        }
        if (name == null) {
            if (all.size() == 1) {
                return all.get(0).pid();
            }
            throw new Lp4jException(all.isEmpty() ? Lp4jException.TARGET : Lp4jException.USAGE, all.isEmpty()
                ? "no JVM of user " + System.getProperty("user.name") + " is running (JVMs started with -XX:-UsePerfData "
                    + "are not seen: give --pid)"
                : all.size() + " JVMs of user " + System.getProperty("user.name") + " are running; say which with "
                    + "--pid PID or --main NAME:" + listed(all));
        }
        List<Candidate> matches = matching(all, name);
        if (matches.size() == 1) {
            return matches.get(0).pid();
        }
        if (matches.isEmpty()) {
            throw new Lp4jException(Lp4jException.TARGET, "no JVM of user " + System.getProperty("user.name")
                + " has a main class or jar matching '" + name + "'" + (all.isEmpty() ? "" : "; the JVMs running:"
                + listed(all)));
        }
        throw new Lp4jException(Lp4jException.USAGE, matches.size() + " JVMs match '" + name + "'; say which with "
            + "--pid PID, or a longer --main:" + listed(matches));
    }

    /** The JVMs that {@code name} picks: exact matches if any, else those whose main contains it. */
    static List<Candidate> matching(List<Candidate> all, String name) {
        List<Candidate> exact = new ArrayList<>();
        List<Candidate> partial = new ArrayList<>();
        for (Candidate c : all) {
            if (exactly(c.main(), name)) {
                exact.add(c);
            } else if (c.main().contains(name)) {
                partial.add(c);
            }
        }
        return exact.isEmpty() ? partial : exact;
    }

    private static boolean exactly(String main, String name) {
        String file = main.substring(main.lastIndexOf('/') + 1);
        return main.equals(name) || file.equals(name) || main.substring(main.lastIndexOf('.') + 1).equals(name)
            || (file.toLowerCase(Locale.ROOT).endsWith(".jar") && file.substring(0, file.length() - 4).equals(name));
    }

    /** The main class, or the jar for 'java -jar', of a JVM as the Attach API describes it. */
    static String main(VirtualMachineDescriptor d) {
        String shown = d.displayName().strip();
        int space = shown.indexOf(' ');
        return shown.isEmpty() ? "(unknown)" : space < 0 ? shown : shown.substring(0, space);
    }

    /** Every JVM the Attach API lists, but lp4j itself, by pid. */
    static List<Candidate> listed() {
        long self = ProcessHandle.current().pid();
        List<Candidate> list = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid != self) {
                list.add(new Candidate(pid, main(d), d.displayName().isBlank() ? "(unknown)" : d.displayName()));
            }
        }
        list.sort(java.util.Comparator.comparingLong(Candidate::pid));
        return list;
    }

    /** The JVMs of this user that a command may mean: those listed, but other runs of lp4j. */
    static List<Candidate> others() {
        String me = System.getProperty("user.name");
        return listed().stream().filter(c -> !c.main().equals(Lp4j.class.getName()) && !c.main().endsWith("/lp4j.jar")
            && !c.main().equals("lp4j.jar") && me.equals(TargetJvm.owner(c.pid()))).toList();
    }

    private static String listed(List<Candidate> candidates) {
        StringBuilder b = new StringBuilder();
        candidates.forEach(c -> b.append("\n  ").append(c));
        return b.toString();
    }
}
