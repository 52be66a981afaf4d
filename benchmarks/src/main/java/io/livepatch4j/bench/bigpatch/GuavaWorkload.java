package io.livepatch4j.bench.bigpatch;

import com.google.common.base.CharMatcher;
import com.google.common.base.Joiner;
import com.google.common.base.Splitter;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.collect.ArrayListMultimap;
import com.google.common.collect.HashMultiset;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import com.google.common.collect.ListMultimap;
import com.google.common.collect.Multiset;
import com.google.common.primitives.Ints;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The JVM that big patches are applied to: a pool of threads running small tasks over Guava (each
 * task a unit of work of the agent, as every executor task is), started by {@link BigPatchBench}
 * with the agent in prepared mode for Guava's packages. It prints a {@code TICK} line every 100 ms
 * (the tasks done so far, loaded and hidden classes, Metaspace used) and answers commands on stdin
 * ({@code SNAPSHOT label}: two full GCs, then the same figures; {@code CLASSES}: the Guava classes
 * loaded; {@code STOP}). Hidden classes are counted with {@link ClassCounter}'s Instrumentation,
 * when that agent is loaded too. The harness names its main class as a string (loading this class
 * where Guava is absent would fail), and keeps the list of the classes a task calls
 * ({@link WorkloadJvm#CALLED}).
 *
 * <pre>GuavaWorkload [THREADS]</pre>
 */
public final class GuavaWorkload {

    static final long TICK_NANOS = 100_000_000L;
    /** Calls into Guava per task: a task of some 0.2 ms, many quiescence points a second per thread. */
    static final int ROUNDS_PER_TASK = 32;
    /** Tasks submitted and not yet done: some 10 ms of work for the pool. */
    static final int QUEUED = 256;

    private static final LongAdder TASKS = new LongAdder();

    private GuavaWorkload() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Runnable task = guavaTask();
        Thread feeder = new Thread(() -> feed(pool, task), "feeder");
        feeder.setDaemon(true);
        feeder.start();
        Thread commands = new Thread(GuavaWorkload::answerCommands, "commands");
        commands.setDaemon(true);
        commands.start();
        MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getName().equals("Metaspace")).findFirst().orElseThrow();
        println("READY pid=" + ProcessHandle.current().pid() + " jdk=" + Runtime.version().feature()
            + " guava=" + guavaVersion() + " hiddenCounted=" + (ClassCounter.instrumentation() != null));
        long next = System.nanoTime() + TICK_NANOS;
        long lastTasks = 0;
        long lastNanos = System.nanoTime();
        while (true) {
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            next += TICK_NANOS;
            long now = System.nanoTime();
            long tasks = TASKS.sum();
            ClassCounter.Counts c = ClassCounter.count();
            println(String.format(Locale.ROOT, "TICK nanos=%d tasks=%d tasks/s=%.0f loaded=%d hidden=%d metaspace=%d",
                now, tasks, (tasks - lastTasks) * 1e9 / Math.max(1, now - lastNanos), c.loaded(), c.hidden(),
                metaspace.getUsage().getUsed()));
            lastTasks = tasks;
            lastNanos = now;
        }
    }

    /** One task: {@link #ROUNDS_PER_TASK} rounds of calls into Guava. */
    private static Runnable guavaTask() {
        LoadingCache<Integer, String> cache = CacheBuilder.newBuilder().maximumSize(1000).recordStats()
            .build(new CacheLoader<Integer, String>() {
                @Override
                public String load(Integer key) {
                    return "v" + key;
                }
            });
        Joiner joiner = Joiner.on(',').skipNulls();
        Joiner nullJoiner = Joiner.on(';').useForNull("-");
        Splitter splitter = Splitter.on(',').trimResults().omitEmptyStrings();
        CharMatcher digits = CharMatcher.inRange('0', '9').or(CharMatcher.is('x'));
        ImmutableMap<String, Integer> table = ImmutableMap.of("a", 1, "b", 2, "c", 3);
        return () -> {
            for (int round = 0; round < ROUNDS_PER_TASK; round++) {
                oneRound(cache, joiner, nullJoiner, splitter, digits, table);
            }
            TASKS.increment();
        };
    }

    /** A bit of everything the workload stands for, each a call into Guava's code. */
    private static void oneRound(LoadingCache<Integer, String> cache, Joiner joiner, Joiner nullJoiner,
                                 Splitter splitter, CharMatcher digits, ImmutableMap<String, Integer> table) {
        int i = ThreadLocalRandom.current().nextInt(2000);
        String joined = joiner.join(i, null, i + 1, "a b", i * 3);
        String nulls = nullJoiner.join(Arrays.asList("x", null, "y"));
        List<String> parts = splitter.splitToList(joined + " , ,z");
        ListMultimap<String, Integer> byFirst = ArrayListMultimap.create();
        for (String p : parts) {
            byFirst.put(p.substring(0, 1), p.length());
        }
        Multiset<Integer> lengths = HashMultiset.create(byFirst.values());
        String kept = digits.retainFrom(joined + nulls);
        String cached = cache.getUnchecked(i % 1500);
        ImmutableList<String> copy = ImmutableList.copyOf(parts);
        ImmutableSortedSet<String> sorted = ImmutableSortedSet.copyOf(parts);
        int sum = Ints.max(kept.length(), cached.length(), copy.size(), sorted.size(), lengths.size())
            + table.getOrDefault(copy.get(0), 0);
        if (sum < 0) {
            System.out.println("never");
        }
    }

    /**
     * Keeps {@link #QUEUED} tasks submitted at all times, so that the pool's threads never wait for the
     * feeder (a batch-and-wait feeder would leave them idle whenever it is descheduled).
     */
    private static void feed(ExecutorService pool, Runnable task) {
        Semaphore permits = new Semaphore(QUEUED);
        Runnable counted = () -> {
            try {
                task.run();
            } finally {
                permits.release();
            }
        };
        try {
            while (true) {
                permits.acquire();
                pool.execute(counted);
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void answerCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.strip().split("\\s+", 2);
                switch (words[0]) {
                    case "SNAPSHOT" -> snapshot(words.length > 1 ? words[1] : "-");
                    case "CLASSES" -> {
                        for (String name : ClassCounter.loadedNames("com.google.")) {
                            println("CLASS " + name);
                        }
                        println("CLASSES-END");
                    }
                    case "STOP" -> System.exit(0);
                    default -> println("UNKNOWN " + line);
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
        System.exit(0); // stdin closed: the harness is gone
    }

    /** Figures after two full collections (the second frees what the first's finalization and unloading left). */
    private static void snapshot(String label) {
        System.gc();
        System.gc();
        MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getName().equals("Metaspace")).findFirst().orElseThrow();
        ClassCounter.Counts c = ClassCounter.count();
        println(String.format(Locale.ROOT, "SNAPSHOT label=%s nanos=%d tasks=%d loaded=%d hidden=%d metaspace=%d "
                + "metaspaceCommitted=%d unloaded=%d", label, System.nanoTime(), TASKS.sum(), c.loaded(), c.hidden(),
            metaspace.getUsage().getUsed(), metaspace.getUsage().getCommitted(),
            ManagementFactory.getClassLoadingMXBean().getUnloadedClassCount()));
    }

    /** The version in Guava's own pom.properties (its manifest has no Implementation-Version). */
    private static String guavaVersion() throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = Joiner.class.getResourceAsStream("/META-INF/maven/com.google.guava/guava/pom.properties")) {
            if (in == null) {
                return "?";
            }
            p.load(in);
        }
        return p.getProperty("version", "?");
    }

    private static synchronized void println(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
