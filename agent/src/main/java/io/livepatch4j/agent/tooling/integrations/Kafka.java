package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.PollHooks;
import io.livepatch4j.agent.bootstrap.UnitKind;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Kafka consumers: a poll loop never returns, so each poll is its quiescence point, and the records a
 * poll returned are handled in one unit that ends at the thread's next poll or when it closes the
 * consumer. Matched by name on the two Consumer implementations applications poll (KafkaConsumer,
 * which hands poll to its internal delegate, and MockConsumer), so that a poll is seen once.
 */
final class Kafka implements Integration {

    @Override
    public String name() {
        return "Kafka consumer poll loops";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("org.apache.kafka.clients.consumer.KafkaConsumer",
                "org.apache.kafka.clients.consumer.MockConsumer"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Poll.class).on(named("poll").and(takesArguments(1))))
                .visit(Advice.to(Close.class).on(named("close"))));
    }

    /** Consumer.poll: the last batch's unit ends before it; the returned batch's begins after it. */
    public static final class Poll {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            PollHooks.polling();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            PollHooks.polled(UnitKind.KAFKA_POLL_BATCH);
        }
    }

    /** Consumer.close: the thread leaves its poll loop; its last batch's unit ends. */
    public static final class Close {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            PollHooks.closing();
        }
    }
}
