package io.livepatch4j.servers.review2;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;

/** Review 2: embedded Tomcat 11 serving {@link RestartServlet}. */
public final class RestartTomcat {

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("lp4j-review2-tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "review", new RestartServlet()).setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "review");
        tomcat.start();
        System.out.println("READY port=" + tomcat.getConnector().getLocalPort() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        tomcat.getServer().await();
    }
}
