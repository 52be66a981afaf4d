package io.livepatch4j.servers.harness;

import java.util.List;

/**
 * What the answers of one variant (sync or async) of a scenario show. A request counts as sent
 * after a transition when it was sent after 'lp4j apply|rollback --wait' returned and before the
 * next command began: it must answer that generation's code ("v2+v2" after apply, "v1+v1" after
 * rollback; "v1+v1" before the first apply). Requests sent while a command runs may answer either,
 * but never a mix.
 *
 * <p>In attach mode the first command loads the agent: a request sent before it returned may have
 * begun before the agent was there, and an asynchronous request begun then is outside the guarantee
 * (docs/agent.md, "Limits": its later callbacks, such as a timeout, run the generation current
 * then). Those asynchronous requests are counted apart ({@code beforeAgent}, and how many of them
 * mixed), not judged; synchronous ones are judged as any other (a request on a thread's stack is
 * held in its generation by the per-call-stack check).
 */
record Verdict(String variant, int requests, int mixed, int failed, int checked, int wrong, int beforeAgent,
               int beforeAgentMixed, List<String> examples) {

    /** A command and when it ran: the code every later request must run once it returned. */
    record Switch(long startNanos, long endNanos, String version) {}

    static Verdict of(String variant, List<Load.Answer> answers, List<Switch> switches, boolean attach) {
        int requests = 0, mixed = 0, failed = 0, checked = 0, wrong = 0, beforeAgent = 0, beforeAgentMixed = 0;
        List<String> examples = new java.util.ArrayList<>();
        for (Load.Answer a : answers) {
            requests++;
            if (attach && !variant.equals("sync") && !switches.isEmpty() && a.sentNanos() < switches.get(0).endNanos()) {
                beforeAgent++;
                if (a.failure() == null && a.body().matches("v[12]\\+v[12]")
                    && !a.body().substring(0, 2).equals(a.body().substring(3))) {
                    beforeAgentMixed++;
                }
                continue;
            }
            if (a.failure() != null || !a.body().matches("v[12]\\+v[12]")) {
                failed++;
                note(examples, "failed: " + (a.failure() != null ? a.failure() : a.body()));
                continue;
            }
            String[] p = a.body().split("\\+");
            if (!p[0].equals(p[1])) {
                mixed++;
                note(examples, "mixed: " + a.body());
                continue;
            }
            String expected = expected(a.sentNanos(), switches);
            if (expected != null) {
                checked++;
                if (!expected.equals(p[0])) {
                    wrong++;
                    note(examples, "sent after the transition to " + expected + " completed, answered " + a.body());
                }
            }
        }
        return new Verdict(variant, requests, mixed, failed, checked, wrong, beforeAgent, beforeAgentMixed, examples);
    }

    /** The version a request sent at {@code sent} must see, or null while a command runs. */
    private static String expected(long sent, List<Switch> switches) {
        String version = "v1";
        for (Switch s : switches) {
            if (sent < s.startNanos()) {
                return version;
            }
            if (sent < s.endNanos()) {
                return null;
            }
            version = s.version();
        }
        return version;
    }

    private static void note(List<String> examples, String line) {
        if (examples.size() < 5) {
            examples.add(line);
        }
    }

    String line() {
        return variant + " requests=" + requests + " mixed=" + mixed + " failed=" + failed
            + " checkedAfterTransition=" + checked + " wrongAfterTransition=" + wrong
            + (beforeAgent > 0 ? " sentBeforeTheAgent=" + beforeAgent + " (mixed " + beforeAgentMixed + ")" : "");
    }
}
