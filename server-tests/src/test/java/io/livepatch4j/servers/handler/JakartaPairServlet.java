package io.livepatch4j.servers.handler;

import jakarta.servlet.AsyncContext;
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

    private static void write(HttpServletResponse resp, String body) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(body);
    }
}
