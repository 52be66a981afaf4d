package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.app.Pair;
import io.livepatch4j.servers.handler.Work;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Review 2: one request at a time, stepped by the test, so a patch lands exactly between the two
 * halves of a request. Every case runs Pair.first() on the container thread when the request
 * arrives, then waits at a gate (/release?id=) on some other path, then runs Pair.second() there.
 * The answer (the response body, or for listener cases /result?id=) is "first+second"; a request
 * that ran two generations answers "v1+v2".
 *
 * <p>Cases (/case?c=...&id=N):
 * <ul>
 *   <li>start: AsyncContext.start(Runnable), the Servlet API's own way to run async work;</li>
 *   <li>pool: a JDK pool thread (Work.ASYNC) finishes and completes (control: carried);</li>
 *   <li>oncomplete-pool / oncomplete-thread: an AsyncListener.onComplete runs Pair.second(); a pool
 *   thread, or the application's own long-lived completer thread (as a long-poll broadcaster or an
 *   async client's callback thread), calls complete() and runs no patched code itself;</li>
 *   <li>dispatch-thread: the completer thread calls AsyncContext.dispatch(); the servlet finishes on
 *   a container thread.</li>
 * </ul>
 */
public final class ReviewServlet extends HttpServlet {

    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch> REACHED = new ConcurrentHashMap<>();
    static final Map<String, String> RESULTS = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch> DONE = new ConcurrentHashMap<>();

    /** The application's own thread that completes requests it is handed (started once, like a broadcaster). */
    private static final BlockingQueue<Runnable> COMPLETER_JOBS = new LinkedBlockingQueue<>();

    static {
        Thread t = new Thread(() -> {
            for (;;) {
                try {
                    COMPLETER_JOBS.take().run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            }
        }, "app-completer");
        t.setDaemon(true);
        t.start();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        String id = req.getParameter("id");
        switch (path) {
            case "/reached" -> {
                write(resp, String.valueOf(latch(REACHED, id).getCount() == 0));
                return;
            }
            case "/release" -> {
                latch(GATES, id).countDown();
                write(resp, "released");
                return;
            }
            case "/result" -> {
                try {
                    latch(DONE, id).await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                write(resp, String.valueOf(RESULTS.get(id)));
                return;
            }
            case "/kind" -> {
                write(resp, Work.unitKind());
                return;
            }
            default -> { }
        }
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            String first = (String) req.getAttribute("first");
            finish(id, first);
            write(resp, RESULTS.get(id));
            return;
        }
        String c = req.getParameter("c");
        if ("writelistener".equals(c)) {
            writeListener(req, resp, id);
            return;
        }
        String first = Pair.first();
        AsyncContext ctx = req.startAsync();
        ctx.setTimeout(0);
        switch (c) {
            case "start" -> ctx.start(() -> {
                arrive(id);
                finish(id, first);
                respond(ctx, RESULTS.get(id));
            });
            case "pool" -> Work.ASYNC.execute(() -> {
                arrive(id);
                finish(id, first);
                respond(ctx, RESULTS.get(id));
            });
            case "oncomplete-pool" -> {
                ctx.addListener(new OnComplete(id, first));
                Work.ASYNC.execute(() -> {
                    arrive(id);
                    respond(ctx, "ok");
                });
            }
            case "oncomplete-thread" -> {
                ctx.addListener(new OnComplete(id, first));
                COMPLETER_JOBS.add(() -> {
                    arrive(id);
                    respond(ctx, "ok");
                });
            }
            case "dispatch-thread" -> {
                req.setAttribute("first", first);
                COMPLETER_JOBS.add(() -> {
                    arrive(id);
                    ctx.dispatch();
                });
            }
            default -> throw new IllegalArgumentException(c);
        }
    }

    /**
     * Case "writelistener": Servlet 3.1 non-blocking output. Pair.first() on the container thread,
     * startAsync, a WriteListener writes 64 MB while the output is ready; the client reads nothing
     * until the test applied the patch, so the rest is written from later onWritePossible calls, and
     * the last one runs Pair.second() and completes.
     */
    private static void writeListener(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
        String first = Pair.first();
        AsyncContext ctx = req.startAsync();
        ctx.setTimeout(0);
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(TOTAL);
        jakarta.servlet.ServletOutputStream out = resp.getOutputStream();
        out.setWriteListener(new jakarta.servlet.WriteListener() {
            private final byte[] chunk = RANDOM_CHUNK; // incompressible: a GzipHandler in front must not shrink it
            private long written;

            @Override
            public void onWritePossible() throws IOException {
                while (out.isReady()) {
                    if (written == TOTAL) {
                        finish(id, first);
                        ctx.complete();
                        return;
                    }
                    out.write(chunk);
                    written += chunk.length;
                }
                latch(REACHED, id).countDown(); // blocked: the client reads nothing yet
            }

            @Override
            public void onError(Throwable t) {
                RESULTS.put(id, "error " + t);
                latch(DONE, id).countDown();
                ctx.complete();
            }
        });
    }

    private static final long TOTAL = 64L * 1024 * 1024;
    private static final byte[] RANDOM_CHUNK = new byte[64 * 1024];

    static {
        new java.util.Random(42).nextBytes(RANDOM_CHUNK);
    }

    /**
     * Case "readlistener" (POST): Servlet 3.1 non-blocking input. Pair.first() on the container
     * thread, startAsync, a ReadListener; the client sends the body in two parts (the test sends the
     * second after the patch); onAllDataRead runs Pair.second() and completes.
     */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = req.getParameter("id");
        String first = Pair.first();
        AsyncContext ctx = req.startAsync();
        ctx.setTimeout(0);
        jakarta.servlet.ServletInputStream in = req.getInputStream();
        in.setReadListener(new jakarta.servlet.ReadListener() {
            private final byte[] buf = new byte[256];

            @Override
            public void onDataAvailable() throws IOException {
                while (in.isReady() && !in.isFinished()) {
                    if (in.read(buf) < 0) {
                        break;
                    }
                }
            }

            @Override
            public void onAllDataRead() {
                finish(id, first);
                respond(ctx, RESULTS.get(id));
            }

            @Override
            public void onError(Throwable t) {
                RESULTS.put(id, "error " + t);
                latch(DONE, id).countDown();
                ctx.complete();
            }
        });
        latch(REACHED, id).countDown();
    }

    /** Signals that the first half ran, then waits for the test's /release. */
    private static void arrive(String id) {
        latch(REACHED, id).countDown();
        try {
            if (!latch(GATES, id).await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate " + id + " never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void finish(String id, String first) {
        RESULTS.put(id, first + "+" + Pair.second());
        System.out.println("[review2] " + id + " second half on " + Thread.currentThread().getName()
            + " in unit: " + Work.unitKind() + " -> " + RESULTS.get(id));
        latch(DONE, id).countDown();
    }

    private static void respond(AsyncContext ctx, String body) {
        try {
            write((HttpServletResponse) ctx.getResponse(), body);
        } catch (IOException e) {
            ((HttpServletResponse) ctx.getResponse()).setStatus(500);
        } finally {
            ctx.complete();
        }
    }

    static CountDownLatch latch(Map<String, CountDownLatch> m, String id) {
        return m.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    private static final class OnComplete implements AsyncListener {
        private final String id;
        private final String first;

        OnComplete(String id, String first) {
            this.id = id;
            this.first = first;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            finish(id, first);
        }

        @Override
        public void onTimeout(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    private static void write(HttpServletResponse resp, String body) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(body);
    }
}
