package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

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
    public void declare(TypeGate types) {
        for (String consumer : List.of("org/apache/kafka/clients/consumer/KafkaConsumer",
            "org/apache/kafka/clients/consumer/MockConsumer")) {
            // Consumer.poll: the last batch's unit ends before it; the returned batch's begins after it.
            // Consumer.close: the thread leaves its poll loop; its last batch's unit ends.
            types.weave(hooks(consumer, List.of(
                new Hooks.MethodHook("poll", Hooks.arguments(1), call(SERVER, "polling", "()V"), call(SERVER, "polled", "()V"), true),
                new Hooks.MethodHook("close", Hooks.any(), call(SERVER, "closing", "()V"), null, false)), List.of()));
        }
    }
}
