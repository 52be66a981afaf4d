package io.livepatch4j.bench.prepared;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What C2 does differently with the agent, for a diagnosis of a cost: runs a library workload through
 * its warm-up in two JVMs, without the agent and prepared, each writing HotSpot's compilation log
 * ({@code -XX:+LogCompilation}); keeps the last C2 compilation of each method of the workload's
 * packages, and compares: inlined bytecode, compiled code size, inlining failures by reason, the
 * prologue guards C2 inlined (each one a MutableCallSite target read and folded), and the call sites
 * inlined without the agent but not with it.
 *
 * <pre>java -cp ... io.livepatch4j.bench.prepared.InliningDiff WORKLOAD AGENT_JAR LOG_DIR [WARMUP_SECONDS]</pre>
 */
public final class InliningDiff {

    private static final Pattern ATTR = Pattern.compile("(\\w+)='([^']*)'");

    /** One inlining decision: where (the inline path, the callee, which call of it there), what, and C2's answer. */
    record Decision(String path, String callee, int calleeBytes, boolean inlined, String reason) {
    }

    /** One C2 compilation. */
    record Task(String method, int id, int nmethodBytes, int inlinedBytes, List<Decision> decisions) {
    }

    private InliningDiff() {}

    public static void main(String[] args) throws Exception {
        Workloads w = Workloads.of(args[0]);
        Path agentJar = Path.of(args[1]).toAbsolutePath();
        Path dir = Files.createDirectories(Path.of(args[2]));
        String warmup = args.length > 3 ? args[3] : "10";
        Map<String, Task> none = read(compileLog(w, null, dir, warmup), w.packages());
        Map<String, Task> agent = read(compileLog(w, "-javaagent:" + agentJar + "=packages=" + String.join(",", w.packages()),
            dir, warmup), w.packages());
        System.out.print(compare(none, agent));
    }

    /** Runs the workload's warm-up (stdin closed: it ends at READY) and returns its compilation log. */
    private static Path compileLog(Workloads w, String agent, Path dir, String warmup) throws Exception {
        Path log = dir.resolve(w.id + "-" + (agent == null ? "none" : "prepared") + "-compilation.xml");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(PreparedCostBench.PINNED_FLAGS);
        cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log));
        if (agent != null) {
            cmd.add(agent);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkloadMain.class.getName(), w.id, warmup));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true).redirectOutput(dir.resolve(log.getFileName() + ".out").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the " + w.id + " run failed; see " + dir.resolve(log.getFileName() + ".out"));
        }
        return log;
    }

    static String compare(Map<String, Task> none, Map<String, Task> agent) {
        StringBuilder s = new StringBuilder();
        s.append(summary("without agent", none)).append(summary("prepared", agent));
        Map<String, Integer> lost = new TreeMap<>();
        Map<String, List<String>> examples = new HashMap<>();
        int both = 0;
        for (Map.Entry<String, Task> e : none.entrySet()) {
            Task a = agent.get(e.getKey());
            if (a == null) {
                continue;
            }
            both++;
            Map<String, Decision> byPlace = new HashMap<>();
            for (Decision d : a.decisions()) {
                byPlace.put(d.path(), d);
            }
            for (Decision d : e.getValue().decisions()) {
                Decision da = byPlace.get(d.path());
                if (d.inlined() && da != null && !da.inlined()) {
                    lost.merge(da.reason(), 1, Integer::sum);
                    List<String> ex = examples.computeIfAbsent(da.reason(), k -> new ArrayList<>());
                    if (ex.size() < 3) {
                        ex.add(String.format(Locale.ROOT, "%s (%d -> %d bytes) in %s", d.callee(), d.calleeBytes(), da.calleeBytes(),
                            e.getKey()));
                    }
                }
            }
        }
        s.append(String.format(Locale.ROOT, "call sites in the %d methods C2 compiled in both runs, inlined without the agent and "
            + "not with it, by the prepared run's reason:%n", both));
        lost.forEach((reason, n) -> {
            s.append(String.format(Locale.ROOT, "  %5d  %s%n", n, reason));
            examples.get(reason).forEach(x -> s.append("           e.g. ").append(x).append('\n'));
        });
        return s.toString();
    }

    private static String summary(String label, Map<String, Task> tasks) {
        Map<String, Integer> fails = new LinkedHashMap<>();
        int guards = 0;
        long nmethod = 0;
        long inlined = 0;
        for (Task t : tasks.values()) {
            nmethod += t.nmethodBytes();
            inlined += t.inlinedBytes();
            for (Decision d : t.decisions()) {
                if (d.callee().equals("java.lang.invoke.MutableCallSite::getTarget") && d.inlined()) {
                    guards++;
                } else if (!d.inlined()) {
                    fails.merge(d.reason(), 1, Integer::sum);
                }
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
            "%s: %d methods compiled by C2, %d KB of code, %d bytes of bytecode inlined, %d MutableCallSite targets inlined "
                + "(prologue guards)%n  inlining failures:", label, tasks.size(), nmethod / 1024, inlined, guards));
        fails.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(10)
            .forEach(f -> s.append(' ').append(f.getKey()).append(' ').append(f.getValue()).append(';'));
        return s.append('\n').toString();
    }

    /** The last successful C2 compilation of each method (OSR ones apart) in the packages. */
    static Map<String, Task> read(Path log, List<String> prefixes) throws IOException {
        Map<String, Task> tasks = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            Parse p = null;
            for (String line; (line = r.readLine()) != null;) {
                if (line.startsWith("<task ")) {
                    Map<String, String> a = attrs(line);
                    String method = a.get("method");
                    // C1's tasks carry a level; C2's do not. OSR compilations are left out.
                    boolean wanted = !a.containsKey("level") && !a.containsKey("osr_bci")
                        && prefixes.stream().anyMatch(method::startsWith);
                    p = wanted ? new Parse(method, Integer.parseInt(a.get("compile_id"))) : null;
                } else if (p != null) {
                    Task done = p.line(line);
                    if (done != null) {
                        Task before = tasks.get(done.method());
                        if (before == null || before.id() < done.id()) {
                            tasks.put(done.method(), done);
                        }
                        p = null;
                    } else if (line.startsWith("</task>")) {
                        p = null;
                    }
                }
            }
        }
        return tasks;
    }

    /** The state of reading one task's lines. */
    private static final class Parse {
        final String method;
        final int id;
        final Map<String, String> klasses = new HashMap<>();
        final Map<String, String> methods = new HashMap<>();
        final Map<String, Integer> sizes = new HashMap<>();
        final Deque<String> path = new ArrayDeque<>();
        final List<Decision> decisions = new ArrayList<>();
        final Map<String, Integer> seen = new HashMap<>();
        String call;
        int nmethodBytes;
        int inlinedBytes;
        boolean success;

        Parse(String method, int id) {
            this.method = method;
            this.id = id;
        }

        /** Takes one line; the finished task at its end (null before, or if it failed). */
        Task line(String line) {
            if (line.startsWith("<klass ")) {
                Map<String, String> a = attrs(line);
                klasses.put(a.get("id"), a.get("name"));
            } else if (line.startsWith("<method ")) {
                Map<String, String> a = attrs(line);
                methods.put(a.get("id"), klasses.getOrDefault(a.get("holder"), "?") + "::" + a.get("name"));
                sizes.put(a.get("id"), Integer.parseInt(a.getOrDefault("bytes", "0")));
            } else if (line.startsWith("<parse method=")) {
                path.push(methods.get(attrs(line).get("method")));
            } else if (line.startsWith("</parse>")) {
                path.pop();
            } else if (line.startsWith("<call ")) {
                call = attrs(line).get("method");
            } else if ((line.startsWith("<inline_fail") || line.startsWith("<inline_success")) && call != null) {
                // A place is the inline path by name and the how-manieth call of the callee there: bytecode
                // indexes differ between the runs, since the prologue shifts every prepared method's code.
                String place = String.join("/", path) + "->" + methods.get(call);
                int nth = seen.merge(place, 1, Integer::sum);
                decisions.add(new Decision(place + "#" + nth, methods.get(call), sizes.getOrDefault(call, 0),
                    line.startsWith("<inline_success"), attrs(line).getOrDefault("reason", "")));
                call = null;
            } else if (line.startsWith("<task_done")) {
                Map<String, String> a = attrs(line);
                success = "1".equals(a.get("success"));
                nmethodBytes = Integer.parseInt(a.getOrDefault("nmsize", "0"));
                inlinedBytes = Integer.parseInt(a.getOrDefault("inlined_bytes", "0"));
            } else if (line.startsWith("</task>")) {
                return success ? new Task(method, id, nmethodBytes, inlinedBytes, decisions) : null;
            }
            return null;
        }
    }

    private static Map<String, String> attrs(String line) {
        Map<String, String> a = new HashMap<>();
        Matcher m = ATTR.matcher(line);
        while (m.find()) {
            a.put(m.group(1), m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
                .replace("&quot;", "\"").replace("&amp;", "&"));
        }
        return a;
    }
}
