package io.livepatch4j.agent.tooling.integrations;

import java.util.List;

import static io.livepatch4j.agent.tooling.integrations.JdkExecutors.hooks;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.SERVER;
import static io.livepatch4j.agent.tooling.integrations.ServerCalls.call;

/** The {@code Quiescence} API: units that application code marks itself. Without the agent it does nothing. */
final class QuiescenceApi implements Integration {

    @Override
    public String name() {
        return "the Quiescence API";
    }

    @Override
    public void declare(TypeGate types) {
        Hooks.Call exit = call(SERVER, "exit", "()V");
        Hooks.Call unit = call(SERVER, "quiescenceUnit", "()V");
        types.weave(hooks("io/livepatch4j/quiescence/Quiescence", List.of(
            new Hooks.MethodHook("run", Hooks.any(), unit, exit, true),
            new Hooks.MethodHook("call", Hooks.any(), unit, exit, true),
            new Hooks.MethodHook("point", Hooks.any(), call(SERVER, "point", "()V"), null, false),
            // The API's own answers (generation 0, no agent) are replaced by the agent's.
            new Hooks.MethodHook("generation", Hooks.arguments(0), null,
                call(SERVER, "generation", "()J").into(Hooks.Source.RETURN), false),
            new Hooks.MethodHook("agentLoaded", Hooks.arguments(0), null,
                call(SERVER, "agentLoaded", "()Z").into(Hooks.Source.RETURN), false)), List.of()));
    }
}
