package io.livepatch4j.cli.commonstext;

import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The child JVM of {@link CommonsTextCveIT}: a program that uses commons-text as a server would, on
 * a pool of four executor threads and two plain threads, each making a fresh substitutor over and
 * over and reporting per thread which of the lookups CVE-2022-42889 is about ({@code url},
 * {@code dns}, {@code script}) it reached. It reaches commons-text by reflection only, so the test
 * build needs no commons-text on its class path and the child runs exactly the jar the test gives it.
 *
 * <p>Protocol on stdin/stdout: it prints {@code READY pid=N port=P} once every thread has run; each
 * {@code REPORT label min} line starts a new epoch, waits until every thread has begun at least
 * {@code min} iterations in it, and prints one {@code REPORT label ...} line with what each thread saw
 * in iterations that began in that epoch, and how many HTTP requests those iterations sent.
 * {@code USE mode} changes how iterations make their substitutor (see {@link Mode}).
 */
public final class InterpolatorWorkload {

    static final int POOL_THREADS = 4;
    static final int PLAIN_THREADS = 2;

    /** How an iteration makes its substitutor. */
    enum Mode {
        /** {@code StringSubstitutor.createInterpolator()}: the issue's call, backed by the shared
         * {@code InterpolatorStringLookup.INSTANCE}. */
        CREATE_INTERPOLATOR,
        /** {@code new StringSubstitutor(StringLookupFactory.INSTANCE.interpolatorStringLookup(Map.of()))}:
         * an interpolator with the default lookups, built anew each time. */
        FACTORY,
        /** {@code new StringSubstitutor(Map.of())}: commons-text in use, no interpolator at all. */
        MAP_ONLY
    }

    /** The epoch an iteration begins in decides which report it counts for. */
    private static volatile int epoch;
    private static volatile Mode mode;
    private static final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private static final Map<Integer, LongAdder> httpHitsByEpoch = new ConcurrentHashMap<>();
    private static final AtomicInteger failures = new AtomicInteger();
    private static volatile String firstFailure = "";

    private static Method createInterpolator;
    private static Method replace;
    private static Object lookupFactory;
    private static Method factoryInterpolator;
    private static java.lang.reflect.Constructor<?> substitutorOfLookup;
    private static java.lang.reflect.Constructor<?> substitutorOfMap;
    private static int port;

    /** What one thread saw in one epoch. Only that thread writes it. */
    static final class Seen {
        final String kind;
        final LongAdder iterations = new LongAdder();
        final LongAdder urlResolved = new LongAdder();
        final LongAdder dnsResolved = new LongAdder();
        final LongAdder scriptReached = new LongAdder();
        final LongAdder base64Resolved = new LongAdder();

        Seen(String kind) {
            this.kind = kind;
        }
    }

    public static void main(String[] args) throws Exception {
        Class<?> substitutor = Class.forName("org.apache.commons.text.StringSubstitutor");
        createInterpolator = substitutor.getMethod("createInterpolator");
        replace = substitutor.getMethod("replace", String.class);
        Class<?> factory = Class.forName("org.apache.commons.text.lookup.StringLookupFactory");
        Class<?> stringLookup = Class.forName("org.apache.commons.text.lookup.StringLookup");
        lookupFactory = factory.getField("INSTANCE").get(null);
        factoryInterpolator = factory.getMethod("interpolatorStringLookup", Map.class);
        substitutorOfLookup = substitutor.getConstructor(stringLookup);
        substitutorOfMap = substitutor.getConstructor(Map.class);
        mode = Mode.valueOf(args[0]);

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/x", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int e = Integer.parseInt(query.substring(query.indexOf('=') + 1));
            httpHitsByEpoch.computeIfAbsent(e, k -> new LongAdder()).increment();
            byte[] body = "URL-FETCHED".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, daemon("http")));
        http.start();
        port = http.getAddress().getPort();

        ExecutorService pool = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), daemon("pool"));
        Semaphore inFlight = new Semaphore(2 * POOL_THREADS);
        Thread submitter = new Thread(() -> {
            while (true) {
                inFlight.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        iteration("pool");
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }, "submitter");
        submitter.setDaemon(true);
        submitter.start();
        for (int i = 0; i < PLAIN_THREADS; i++) {
            Thread t = new Thread(() -> {
                while (true) {
                    iteration("plain");
                    pause();
                }
            }, "plain-" + i);
            t.setDaemon(true);
            t.start();
        }

        awaitIterations(0, 5, 60);
        System.out.println("READY pid=" + ProcessHandle.current().pid() + " port=" + port);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split("\\s+");
            if (cmd[0].equals("REPORT")) {
                int e = ++epoch;
                boolean enough = awaitIterations(e, Integer.parseInt(cmd[2]), 120);
                System.out.println(report(cmd[1], e, enough));
            } else if (cmd[0].equals("USE")) {
                mode = Mode.valueOf(cmd[1]);
                System.out.println("USING " + mode);
            } else if (cmd[0].equals("EXIT")) {
                break;
            }
        }
        System.exit(0);
    }

    /**
     * One unit of the workload: a fresh substitutor, as an application that formats a message per
     * request would make, and the four lookups. Unresolved variables stay in the output as written.
     */
    private static void iteration(String kind) {
        int e = epoch;
        Mode m = mode;
        Seen s = seen.computeIfAbsent(e + "/" + Thread.currentThread().getName(), k -> new Seen(kind));
        s.iterations.increment();
        try {
            Object interpolator = switch (m) {
                case CREATE_INTERPOLATOR -> createInterpolator.invoke(null);
                case FACTORY -> substitutorOfLookup.newInstance(factoryInterpolator.invoke(lookupFactory, Map.of()));
                case MAP_ONLY -> substitutorOfMap.newInstance(Map.of());
            };
            String url = (String) replace.invoke(interpolator, "${url:UTF-8:http://127.0.0.1:" + port + "/x?epoch=" + e + "}");
            if (url.equals("URL-FETCHED")) {
                s.urlResolved.increment();
            }
            String dns = (String) replace.invoke(interpolator, "${dns:address|localhost}");
            if (!dns.startsWith("${")) {
                s.dnsResolved.increment();
            }
            String base64 = (String) replace.invoke(interpolator, "${base64Decoder:SGVsbG8=}");
            if (base64.equals("Hello")) {
                s.base64Resolved.increment();
            }
            // No engine has this name: the script lookup, when it is a default, throws naming the engine;
            // when it is not, the variable stays as written.
            try {
                replace.invoke(interpolator, "${script:lp4j-no-such-engine:1}");
            } catch (InvocationTargetException ex) {
                if (String.valueOf(ex.getCause()).contains("lp4j-no-such-engine")) {
                    s.scriptReached.increment();
                } else {
                    throw ex;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | Error ex) {
            Throwable cause = ex instanceof InvocationTargetException ? ex.getCause() : ex;
            if (failures.getAndIncrement() == 0) {
                firstFailure = Thread.currentThread().getName() + ": " + cause;
                cause.printStackTrace();
            }
        }
    }

    private static boolean awaitIterations(int e, int min, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            List<Seen> threads = threadsIn(e).values().stream().toList();
            if (threads.stream().filter(s -> s.kind.equals("pool")).count() >= POOL_THREADS
                && threads.stream().filter(s -> s.kind.equals("plain")).count() >= PLAIN_THREADS
                && threads.stream().allMatch(s -> s.iterations.sum() >= min)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static Map<String, Seen> threadsIn(int e) {
        Map<String, Seen> threads = new TreeMap<>();
        seen.forEach((k, v) -> {
            if (k.startsWith(e + "/")) {
                threads.put(k.substring(k.indexOf('/') + 1), v);
            }
        });
        return threads;
    }

    /**
     * One line: {@code REPORT label pid=N mode=M epoch=E complete=B httpHits=H failures=F firstFailure=[...]
     * threads=name:kind:iterations:url:dns:script:base64,...}, the last four counting resolved lookups.
     */
    private static String report(String label, int e, boolean complete) {
        List<String> threads = new ArrayList<>();
        threadsIn(e).forEach((name, s) -> threads.add(String.join(":", name, s.kind, sum(s.iterations), sum(s.urlResolved),
            sum(s.dnsResolved), sum(s.scriptReached), sum(s.base64Resolved))));
        LongAdder hits = httpHitsByEpoch.get(e);
        return "REPORT " + label + " pid=" + ProcessHandle.current().pid() + " mode=" + mode + " epoch=" + e
            + " complete=" + complete + " httpHits=" + (hits == null ? 0 : hits.sum())
            + " failures=" + failures.get() + " firstFailure=[" + firstFailure + "] threads=" + String.join(",", threads);
    }

    private static String sum(LongAdder a) {
        return Long.toString(a.sum());
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
