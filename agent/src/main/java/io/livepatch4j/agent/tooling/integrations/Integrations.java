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
            new SerialQueues(),
            new Grpc(),
            new Kafka(),
            new SpringAsync(),
            new JettyServlet(),
            new ServletApi("jakarta.servlet."),
            new ServletApi("javax.servlet."),
            new Tomcat(),
            new Undertow(),
            new Helidon(),
            new UndertowServlet(),
            new QuiescenceApi(),
            new PlatformMBeanServer());
    }

    /** A method named by the unitOfWork option ({@code className} internal): each call is a unit. */
    public static Hooks.ClassHooks configured(String className, String method) {
        return JdkExecutors.hooks(className, List.of(new Hooks.MethodHook(method, Hooks.any(),
            ServerCalls.call(ServerCalls.SERVER, "configuredUnit", "()V"), ServerCalls.call(ServerCalls.SERVER, "exit", "()V"), true)),
            List.of());
    }
}
