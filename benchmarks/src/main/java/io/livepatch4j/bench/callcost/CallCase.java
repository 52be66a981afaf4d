package io.livepatch4j.bench.callcost;

import java.util.Arrays;

/**
 * The situations in which the call-cost benchmark calls {@code Mixer.mix}, each measured in its own
 * forked JVM. The ids are what the tables, the CSV and JMH's {@code callCase} parameter say.
 */
public enum CallCase {
    /** The JVM runs without the agent: the baseline every ratio is taken against. */
    NO_AGENT("no-agent", false, "JVM without the agent"),
    /** Prepared mode, the class never patched: the prologue's guard is a folded constant false. */
    UNPATCHED("unpatched", true, "agent in prepared mode, class never patched"),
    /** A transition kept running by a straggler; the benchmark thread inside one unit of work per iteration. */
    TRANSITION_IN_UNIT("transition-in-unit", true,
        "transition held open by a straggler; calls inside a unit of work (one per iteration)"),
    /** The same transition; the benchmark thread outside every unit, so each call is an implicit unit. */
    TRANSITION_OUTERMOST("transition-outermost", true,
        "transition held open by a straggler; each call is its own unit (outermost call)"),
    /** The patch applied and its transition complete: the dispatch site calls v2 directly. */
    RETIRED("retired", true, "patch applied, transition complete, old generation retired"),
    /**
     * A control: the agent is loaded but prepares another package, so Mixer has no prologue. It
     * tells what the agent's presence in the JVM costs from what the prologue costs.
     */
    AGENT_ELSEWHERE("agent-elsewhere", true, "control: agent loaded, Mixer's package not prepared (no prologue)");

    private final String id;
    private final boolean agent;
    private final String description;

    CallCase(String id, boolean agent, String description) {
        this.id = id;
        this.agent = agent;
        this.description = description;
    }

    public String id() {
        return id;
    }

    /** Whether the forked JVM starts with the agent. */
    public boolean agent() {
        return agent;
    }

    public String description() {
        return description;
    }

    /** Whether a transition is kept running during the measurement. */
    public boolean inTransition() {
        return this == TRANSITION_IN_UNIT || this == TRANSITION_OUTERMOST;
    }

    /** The agent option {@code packages} this case's fork starts with. */
    String preparedPackage() {
        return this == AGENT_ELSEWHERE ? "io.livepatch4j.bench.callcost.elsewhere" : "io.livepatch4j.bench.callcost.patchable";
    }

    /** picocli's converter for --cases: a case by its id. */
    public static final class Word implements picocli.CommandLine.ITypeConverter<CallCase> {
        @Override
        public CallCase convert(String id) {
            return of(id);
        }
    }

    public static CallCase of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown call case '" + id + "'; the cases are "
                + Arrays.stream(values()).map(CallCase::id).toList()));
    }
}
