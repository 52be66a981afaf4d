package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

/** Every integration the agent installs when it loads. docs/agent.md lists the units they recognize. */
public final class Integrations {

    private Integrations() {}

    public static List<Integration> all() {
        return List.of(
            new JdkExecutors(),
            new JdkHttpServer(),
            new Jetty(),
            new Netty(),
            new Grpc(),
            new Kafka(),
            new SpringAsync(),
            new JettyServlet(),
            new JakartaServlet(),
            new JavaxServlet(),
            new Tomcat(),
            new Undertow(),
            new UndertowServlet(),
            new QuiescenceApi());
    }
}
