package io.livepatch4j.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A state version a patch declares, as Linux livepatch's {@code klp_state}: the patch sets up, or
 * can handle, the state named {@code id} (a data layout, a cache format, a session format...) in
 * version {@code version}. The agent refuses a patch that would leave a state that a live patch set
 * up to code that handles only an older version of it (docs/patch-format.md, "Cumulative patches
 * and states").
 *
 * @param id      free text naming the state, not empty
 * @param version 1 or more; a higher version must handle every lower one
 */
public record PatchState(String id, int version) {

    /** {@code ID=VERSION}, as {@code lp4j build --state} takes it. */
    public static PatchState parse(String text) throws PatchException {
        int eq = text.lastIndexOf('=');
        if (eq <= 0) {
            throw new PatchException("state '" + text + "' is not ID=VERSION (for example session-format=2)");
        }
        int version;
        try {
            version = Integer.parseInt(text.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
            throw new PatchException("state '" + text + "': the version must be a whole number of 1 or more, as in "
                + text.substring(0, eq) + "=2", e);
        }
        PatchState s = new PatchState(text.substring(0, eq).trim(), version);
        List<String> problems = problems(List.of(s));
        if (!problems.isEmpty()) {
            throw new PatchException("state '" + text + "': " + problems.get(0));
        }
        return s;
    }

    /** What is wrong with a patch's list of states: ids empty or repeated, versions below 1. Empty if nothing. */
    public static List<String> problems(List<PatchState> states) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PatchState s : states) {
            if (s.id() == null || s.id().isBlank()) {
                problems.add("a state has an empty id; name it (for example session-format)");
                continue;
            }
            if (s.version() < 1) {
                problems.add("state '" + s.id() + "' has version " + s.version() + "; versions start at 1");
            }
            if (!seen.add(s.id())) {
                problems.add("state '" + s.id() + "' is declared twice; a patch declares each state once, with the "
                    + "highest version it handles");
            }
        }
        return problems;
    }
}
