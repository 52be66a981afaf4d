package io.livepatch4j.servers.review2;

/** Review 2: Undertow's servlet layer serving {@link RestartServlet}. */
public final class RestartUndertow {

    public static void main(String[] args) throws Exception {
        ReviewUndertow.serve(RestartServlet.class);
    }
}
