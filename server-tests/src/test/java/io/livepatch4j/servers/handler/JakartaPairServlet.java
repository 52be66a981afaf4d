package io.livepatch4j.servers.handler;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The jakarta.servlet handler (Tomcat 11, Undertow's and Jetty's servlet layers). Sync: the answer
 * is written before service returns. Async: Pair.first runs on the container thread, then
 * startAsync, and a thread of {@link Work#ASYNC} finishes the answer and completes. Dispatch: the
 * same, but that thread calls AsyncContext.dispatch() and the servlet finishes on a container thread.
 * Timeout: nothing completes the request; the container times it out after 5 ms and the servlet's
 * AsyncListener.onTimeout finishes it (on a container thread).
 */
public final class JakartaPairServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        String variant = Work.variant(req.getQueryString());
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            write(resp, Work.finish(path, (String) req.getAttribute(Work.FIRST)));
            return;
        }
        String first = Work.begin(path);
        if (variant.equals("sync")) {
            write(resp, Work.finish(path, first));
            return;
        }
        AsyncContext ctx = req.startAsync();
        if (variant.equals("timeout")) {
            ctx.setTimeout(TIMEOUT_MILLIS);
            ctx.addListener(new Finisher(path, first));
            return;
        }
        if (variant.equals("dispatch")) {
            req.setAttribute(Work.FIRST, first);
            Work.ASYNC.execute(() -> {
                LockSupport.parkNanos(50_000);
                ctx.dispatch();
            });
            return;
        }
        Work.ASYNC.execute(() -> {
            try {
                write((HttpServletResponse) ctx.getResponse(), Work.finish(path, first));
            } catch (IOException | RuntimeException e) {
                ((HttpServletResponse) ctx.getResponse()).setStatus(500);
            } finally {
                ctx.complete();
            }
        });
    }

    /** How long a "timeout" request waits before the container times it out. */
    private static final long TIMEOUT_MILLIS = 5;

    /** Nothing completes a "timeout" request: the container times it out and this listener finishes it. */
    private static final class Finisher implements AsyncListener {
        private final String path;
        private final String first;

        Finisher(String path, String first) {
            this.path = path;
            this.first = first;
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            write((HttpServletResponse) event.getAsyncContext().getResponse(), Work.finish(path, first));
            event.getAsyncContext().complete();
        }

        @Override
        public void onComplete(AsyncEvent event) {}

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
