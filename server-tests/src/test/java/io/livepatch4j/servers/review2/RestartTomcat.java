package io.livepatch4j.servers.review2;

/** Review 2: embedded Tomcat 11 serving {@link RestartServlet}. */
public final class RestartTomcat {

    public static void main(String[] args) throws Exception {
        ReviewTomcat.serve(new RestartServlet());
    }
}
