package io.livepatch4j.bench.startup.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.nio.file.Files;

/**
 * An embedded Tomcat with one servlet answering "ok" at /: the second real server whose time to its
 * first answer the startup benchmark measures. Argument: the port.
 */
public final class TomcatApp {

    private TomcatApp() {}

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("lp4j-startup-tomcat").toString());
        tomcat.setPort(Integer.parseInt(args[0]));
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ok", new OkServlet());
        context.addServletMappingDecoded("/", "ok");
        tomcat.getConnector();
        tomcat.start();
        tomcat.getServer().await();
    }

    /** Answers every GET with "ok". */
    public static final class OkServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("ok\n");
        }
    }
}
