package io.livepatch4j.agent.tooling;

/** How long each step of the agent's start took, for {@code debug=on} and the startup benchmark. */
final class StartSteps {

    private final StringBuilder steps = new StringBuilder();
    private final long began = System.nanoTime();
    private long last = began;

    void done(String step) {
        long now = System.nanoTime();
        steps.append(steps.length() == 0 ? "" : ", ").append(step).append(' ').append((now - last) / 1_000_000).append(" ms");
        last = now;
    }

    @Override
    public String toString() {
        return "start took " + (last - began) / 1_000_000 + " ms: " + steps;
    }
}
