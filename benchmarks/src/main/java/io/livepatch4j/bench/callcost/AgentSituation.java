package io.livepatch4j.bench.callcost;

import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.bench.callcost.patchable.Mixer;
import io.livepatch4j.control.LivePatchJmx;

import java.time.Duration;
import java.util.Collection;

/**
 * Puts a JVM started with the agent into one call case before JMH measures it (patch applied, a
 * transition held open by a straggler, or retired) and checks that it really is in that state, so a
 * number in the table never silently measures another path. Only ever loaded in agent JVMs.
 */
final class AgentSituation {

    private final CallCase callCase;
    private final Straggler straggler;

    private AgentSituation(CallCase callCase, Straggler straggler) {
        this.callCase = callCase;
        this.straggler = straggler;
    }

    static AgentSituation enter(CallCase c, Mixer mixer, int x) throws Exception {
        if (!LivePatchJmx.awaitAgent(Duration.ofSeconds(30))) {
            throw new IllegalStateException("case " + c.id() + " needs the agent; run it with CallCostMain");
        }
        PatchableClass pc = PatchableClass.of(Mixer.class);
        switch (c) {
            case UNPATCHED, AGENT_ELSEWHERE -> {
                check(!pc.patched(), "Mixer must be unpatched");
                check(mixer.mix(x) == Mixer.expected(x, Mixer.SALT_V1), "unpatched Mixer must run v1");
                return new AgentSituation(c, null);
            }
            case RETIRED -> {
                LivePatchJmx.apply(patch());
                check(LivePatchJmx.awaitTransition(Duration.ofSeconds(30)), "the transition must complete");
                checkSites(pc.sites(), DispatchSite.Mode.DIRECT);
                check(mixer.mix(x) == Mixer.expected(x, Mixer.SALT_V2), "retired: calls must run v2");
                return new AgentSituation(c, null);
            }
            case TRANSITION_IN_UNIT, TRANSITION_OUTERMOST -> {
                Straggler s = Straggler.enter(() -> mixer.mix(x));
                check(s.seen() == Mixer.expected(x, Mixer.SALT_V1), "the straggler must have run v1");
                LivePatchJmx.apply(patch());
                AgentSituation situation = new AgentSituation(c, s);
                situation.checkTransitionRunning();
                checkSites(pc.sites(), DispatchSite.Mode.SELECTING);
                if (c == CallCase.TRANSITION_IN_UNIT) {
                    situation.beginIteration();
                }
                check(mixer.mix(x) == Mixer.expected(x, Mixer.SALT_V2), "new units of work must run v2");
                if (c == CallCase.TRANSITION_IN_UNIT) {
                    situation.endIteration();
                }
                return situation;
            }
            default -> throw new IllegalArgumentException(c.id() + " is not an agent case");
        }
    }

    /** At every iteration's start: the benchmark thread enters its unit of work (in-unit case only). */
    void beginIteration() {
        if (callCase == CallCase.TRANSITION_IN_UNIT) {
            Units.enter(UnitKind.QUIESCENCE_API);
            check(Units.inUnit(), "the benchmark thread must be inside a unit of work");
        } else if (callCase == CallCase.TRANSITION_OUTERMOST) {
            check(!Units.inUnit(), "the benchmark thread must be outside every unit of work");
        }
    }

    /** At every iteration's end: the unit ends (its quiescence point); the transition must still run. */
    void endIteration() throws Exception {
        if (callCase == CallCase.TRANSITION_IN_UNIT) {
            Units.exit();
        }
        if (straggler != null) {
            checkTransitionRunning();
        }
    }

    /** After the trial: lets the straggler go and sees the transition complete. */
    void leave() throws Exception {
        if (straggler != null) {
            straggler.release();
            check(LivePatchJmx.awaitTransition(Duration.ofSeconds(30)),
                "the transition must complete once the straggler leaves its unit of work");
        }
    }

    private void checkTransitionRunning() throws Exception {
        check(LivePatchJmx.transitionRunning(),
            "a transition held by the straggler must be running, status says " + LivePatchJmx.statusJson());
    }

    private static java.nio.file.Path patch() {
        return ConstantPatch.file("callcost-mixer-v2", Mixer.class, "mix", Mixer.SALT_V1, Mixer.SALT_V2);
    }

    private static void checkSites(Collection<DispatchSite> sites, DispatchSite.Mode mode) {
        check(!sites.isEmpty(), "Mixer must have dispatch sites");
        for (DispatchSite s : sites) {
            check(s.mode() == mode, "dispatch site " + s.name() + s.descriptor() + " is " + s.mode() + ", expected " + mode);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("call-cost setup: " + what);
        }
    }
}
