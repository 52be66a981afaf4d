package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/**
 * Not a kind of unit of work: the platform MBean server's first use, when the agent registers its
 * MXBean (StartInBackground). Creating that server costs a server's start about 100 ms, so the agent
 * does not create it itself at start; whoever first asks for it (the application, the JVM's
 * management agent that jconsole's or JMC's local attach starts) finds the agent's MXBean there.
 */
final class PlatformMBeanServer implements Integration {

    @Override
    public String name() {
        return "the platform MBean server (the agent's MXBean)";
    }

    @Override
    public void declare(TypeGate types) {
        types.weave(hooks("java/lang/management/ManagementFactory", List.of(new Hooks.MethodHook("getPlatformMBeanServer",
            Hooks.arguments(0), null, call(SERVER, "mbeanServerReady", "()V"), false)), List.of()));
    }
}
