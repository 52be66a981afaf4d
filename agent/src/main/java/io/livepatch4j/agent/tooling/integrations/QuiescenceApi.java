package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;

/** The {@code Quiescence} API: units that application code marks itself. Without the agent it does nothing. */
final class QuiescenceApi implements Integration {

    @Override
    public String name() {
        return "the Quiescence API";
    }

    @Override
    public AgentBuilder install(AgentBuilder builder, TypeGate types) {
        return builder
            .type(types.named("io.livepatch4j.quiescence.Quiescence"))
            .transform((b, type, loader, module, pd) -> b
                .visit(Advice.to(Unit.class).on(named("run").or(named("call"))))
                .visit(Advice.to(Point.class).on(named("point")))
                .visit(Advice.to(CurrentGeneration.class).on(named("generation")))
                .visit(Advice.to(AgentLoaded.class).on(named("agentLoaded"))));
    }

    /** Quiescence.run and Quiescence.call. */
    public static final class Unit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.enter(UnitKind.QUIESCENCE_API);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            Units.exit();
        }
    }

    /** Quiescence.point. */
    public static final class Point {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Units.point();
        }
    }

    /** Quiescence.generation. */
    public static final class CurrentGeneration {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) long generation) {
            generation = Units.generation();
        }
    }

    /** Quiescence.agentLoaded. */
    public static final class AgentLoaded {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) boolean loaded) {
            loaded = true;
        }
    }
}
