package io.livepatch4j.servers.review2;

import io.livepatch4j.servers.app.Pair;
import io.livepatch4j.servers.handler.Work;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.livepatch4j.servers.review2.ReviewServlet.DONE;
import static io.livepatch4j.servers.review2.ReviewServlet.GATES;
import static io.livepatch4j.servers.review2.ReviewServlet.REACHED;
import static io.livepatch4j.servers.review2.ReviewServlet.RESULTS;
import static io.livepatch4j.servers.review2.ReviewServlet.latch;

/**
 * Review 15b: a request with two async cycles (Servlet 3.0 allows startAsync again in an async
 * dispatch). /case?c=restart: Pair.first(), startAsync (cycle 1), the app's thread dispatches; in the
 * async dispatch startAsync again (cycle 2), the app's thread waits at the gate, runs Pair.second()
 * and completes cycle 2. Also /status (the unit kind of a plain request, to see the server works).
 */
public final class RestartServlet extends HttpServlet {

    private static final BlockingQueue<Runnable> JOBS = new LinkedBlockingQueue<>();

    static {
        Thread t = new Thread(() -> {
            for (;;) {
                try {
                    JOBS.take().run();
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
        String id = req.getParameter("id");
        switch (req.getRequestURI()) {
            case "/reached" -> {
                resp.getWriter().write(String.valueOf(latch(REACHED, id).getCount() == 0));
                return;
            }
            case "/release" -> {
                latch(GATES, id).countDown();
                resp.getWriter().write("released");
                return;
            }
            case "/result" -> {
                try {
                    latch(DONE, id).await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                resp.getWriter().write(String.valueOf(RESULTS.get(id)));
                return;
            }
            default -> { }
        }
        if (req.getDispatcherType() == DispatcherType.ASYNC && req.getAttribute("cycle2") != null) {
            // The third dispatch (after cycle 2): the second half, on a container thread.
            String first = (String) req.getAttribute("first");
            RESULTS.put(id, first + "+" + Pair.second());
            System.out.println("[review15b] " + id + " second half on " + Thread.currentThread().getName()
                + " in unit: " + Work.unitKind() + " -> " + RESULTS.get(id));
            latch(DONE, id).countDown();
            resp.getWriter().write(RESULTS.get(id));
            return;
        }
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            // The second dispatch: async again (cycle 2); the app's thread waits at the gate, dispatches.
            req.setAttribute("cycle2", Boolean.TRUE);
            AsyncContext again = req.startAsync();
            again.setTimeout(0);
            JOBS.add(() -> {
                arrive(id);
                again.dispatch();
            });
            return;
        }
        req.setAttribute("first", Pair.first());
        AsyncContext ctx = req.startAsync();
        ctx.setTimeout(0);
        JOBS.add(ctx::dispatch);
    }

    private static void arrive(String id) {
        latch(REACHED, id).countDown();
        try {
            latch(GATES, id).await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
