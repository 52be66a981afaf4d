package io.livepatch4j.servers.review2;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;

/** Review 2: embedded Tomcat 11 serving {@link ReviewServlet}. */
public final class ReviewTomcat {

    public static void main(String[] args) throws Exception {
        serve(new ReviewServlet());
    }

    /** Serves {@code servlet} on every path, async supported, prints the READY line and waits. */
    static void serve(jakarta.servlet.Servlet servlet) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("lp4j-review2-tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "review", servlet).setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "review");
        tomcat.start();
        System.out.println("READY port=" + tomcat.getConnector().getLocalPort() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        tomcat.getServer().await();
    }
}
