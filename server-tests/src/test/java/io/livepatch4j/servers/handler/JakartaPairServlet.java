package io.livepatch4j.servers.handler;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The jakarta.servlet handler (Tomcat 11, Undertow's and Jetty's servlet layers). Sync: the answer
 * is written before service returns. Async (?async=1): Pair.first runs on the container thread,
 * then startAsync, and a thread of {@link Work#ASYNC} finishes the answer and completes.
 */
public final class JakartaPairServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        String first = Work.begin(path);
        if (!Work.async(req.getQueryString())) {
            write(resp, Work.finish(path, first));
            return;
        }
        AsyncContext ctx = req.startAsync();
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
