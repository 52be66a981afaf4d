package io.livepatch4j.servers.harness;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One server in one mode under load while the patch is applied and rolled back through the CLI,
 * {@link Settings#cycles} times. Asserts, for each variant the server serves alike: no mixed answer,
 * no failed request, every request sent after a transition completed answers the new code, and the
 * handler threads run in the integration's unit kind. Appends its figures to results/servers.txt.
 */
public final class Scenario {

    private Scenario() {}

    public static void run(Server server, Mode mode) throws Exception {
        String name = server.name() + "-" + mode.name().toLowerCase(Locale.ROOT);
        List<Verdict.Switch> switches = new ArrayList<>();
        Set<String> kinds = new LinkedHashSet<>();
        List<Load.Answer> answers;
        Cli.patch(); // built once, before any command is timed
        try (ServerChild child = ServerChild.start(name, server.mainClass(), server.classPath(), mode)) {
            HttpClient probe = Load.client();
            assertEquals("v1+v1", Load.get(probe, child.port, "/pair"), "the server answers v1 before any patch");
            Load load = new Load(child.port, Settings.clients(), server.variants());
            try {
                Thread.sleep(Settings.holdMillis());
                for (int cycle = 0; cycle < Settings.cycles(); cycle++) {
                    long start = System.nanoTime();
                    Cli.apply(child.pid);
                    switches.add(new Verdict.Switch(start, System.nanoTime(), "v2"));
                    if (cycle == 0) {
                        for (String variant : server.variants()) {
                            kinds.add(Load.get(probe, child.port, "/kind?variant=" + variant));
                        }
                    }
                    Thread.sleep(Settings.holdMillis());
                    start = System.nanoTime();
                    Cli.rollback(child.pid);
                    switches.add(new Verdict.Switch(start, System.nanoTime(), "v1"));
                    Thread.sleep(Settings.holdMillis());
                }
            } finally {
                answers = load.stop();
            }
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (String variant : server.variants()) {
            verdicts.add(Verdict.of(variant, answers.stream().filter(a -> a.variant().equals(variant)).toList(), switches,
                mode == Mode.ATTACH));
        }
        record(name, verdicts, kinds, switches);
        for (Verdict v : verdicts) {
            String where = name + " " + v.line() + " " + v.examples();
            // A timed-out request takes as long as the container's timeout check (Tomcat: about 1 s):
            // few of them, and none need fall between two commands; what they must show is that no
            // timeout mixes generations, and that no timed-out request keeps a transition waiting.
            boolean slow = v.variant().equals("timeout");
            assertTrue(v.requests() >= (slow ? 5 : 50), "too few requests to judge: " + where);
            assertEquals(0, v.failed(), "failed requests: " + where);
            assertEquals(0, v.mixed(), "answers that mix two generations: " + where);
            assertEquals(0, v.wrong(), "answers of the old code after the transition completed: " + where);
            assertTrue(slow || v.checked() > 0, "no request was sent between two transitions: " + where);
        }
        // Status says how work reached a unit of another kind ("executor task (carried into a servlet
        // request)"); the unit's own kind is what must be the integration's.
        Set<String> unitKinds = new LinkedHashSet<>();
        kinds.forEach(k -> unitKinds.add(k.replaceFirst(" \\(carried into .*\\)$", "")));
        assertTrue(server.kinds().containsAll(unitKinds),
            name + ": handler threads must run in the integration's unit of work " + server.kinds() + ", status said " + kinds);
    }

    private static void record(String name, List<Verdict> verdicts, Set<String> kinds, List<Verdict.Switch> switches)
            throws IOException {
        // How long each 'lp4j apply|rollback --wait' took, in ms: attach, apply and the whole transition.
        List<Long> millis = switches.stream().map(s -> (s.endNanos() - s.startNanos()) / 1_000_000).toList();
        StringBuilder lines = new StringBuilder();
        for (Verdict v : verdicts) {
            String line = "RESULT " + name + " jdk=" + Runtime.version().feature() + " cycles=" + Settings.cycles()
                + " " + v.line() + " kinds=" + kinds + " commandMillis=" + millis;
            System.out.println(line);
            lines.append(line).append('\n');
        }
        Files.createDirectories(Settings.results());
        Files.writeString(Settings.results().resolve("servers.txt"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
