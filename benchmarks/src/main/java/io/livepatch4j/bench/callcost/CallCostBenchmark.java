package io.livepatch4j.bench.callcost;

import io.livepatch4j.bench.callcost.patchable.Mixer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one call of a patchable method ({@link Mixer#mix}) in each {@link CallCase}. Run it
 * through {@link CallCostMain}, which starts each case's fork with or without the agent; the case's
 * state is set up (and verified) before the first warm-up iteration, so warm-up compiles the path
 * that is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallCostBenchmark {

    @Param({"no-agent", "unpatched", "transition-in-unit", "transition-outermost", "retired", "agent-elsewhere"})
    public String callCase;

    /** Not final and read every call, so the JIT cannot fold the call into a constant. */
    private int x = 0x1234;
    private Mixer mixer;
    private AgentSituation situation;

    @Setup(Level.Trial)
    public void enterCase() throws Exception {
        CallCase c = CallCase.of(callCase);
        mixer = new Mixer();
        if (c.agent()) {
            situation = AgentSituation.enter(c, mixer, x);
        } else if (agentLoaded()) {
            throw new IllegalStateException("case " + callCase + " must run without the agent, but it is loaded");
        }
    }

    @Setup(Level.Iteration)
    public void beginIteration() {
        if (situation != null) {
            situation.beginIteration();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration() throws Exception {
        if (situation != null) {
            situation.endIteration();
        }
    }

    @TearDown(Level.Trial)
    public void leaveCase() throws Exception {
        if (situation != null) {
            situation.leave();
        }
    }

    @Benchmark
    public int call() {
        return mixer.mix(x);
    }

    /** The agent publishes its version once it has started (its classes are out of this code's sight). */
    private static boolean agentLoaded() {
        return System.getProperty("livepatch4j.agent.version") != null;
    }
}
