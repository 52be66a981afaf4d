package io.livepatch4j.agent.tooling.integrations;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * An integration whose hooks are Byte Buddy {@code Advice}, the way OpenTelemetry writes its
 * instrumentations: the Servlet API's, whose advice bodies call the API's own interfaces, which the
 * bootstrap runtime cannot see. Byte Buddy is set up only when the gate first admits a class one of
 * these declared (docs/results/startup.md: its set-up is most of what the agent would cost a server's
 * start), so a server without the Servlet API never loads it.
 */
public interface AdvisedIntegration extends Integration {

    /** Adds the advice to {@code builder}, for the types declared in {@link #declare}. */
    AgentBuilder advise(AgentBuilder builder);
}
