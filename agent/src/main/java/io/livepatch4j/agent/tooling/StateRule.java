package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state rule (Linux livepatch's klp_state): a patch may not leave a state that a live patch set
 * up to code that handles only an older version of it. A cumulative (replace) patch takes over every
 * state the current generation has, so it must declare each one at the live version or higher; a
 * stacked patch keeps the live patches' code, so it is held to the states both declare. Checked
 * before anything changes; a rollback is never checked (the callbacks and transformers of the patches
 * concerned are what undo state, docs/patch-format.md).
 */
final class StateRule {

    private StateRule() {}

    /** Refuses {@code patch} if it would run with a state newer than it handles; {@code live}: the current generation's. */
    static void check(Patch patch, Includes live) throws PatchException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Includes.LiveState> e : live.states().entrySet()) {
            String id = e.getKey();
            Includes.LiveState s = e.getValue();
            PatchState declared = declared(patch, id);
            if (declared == null && !patch.replace()) {
                continue; // a stacked patch leaves the live patches' code, which handles it, in place
            }
            if (declared != null && declared.version() >= s.version()) {
                continue;
            }
            String supports = declared == null ? "does not support state '" + id + "' version " + s.version()
                : "supports state '" + id + "' only up to version " + declared.version() + ", not version " + s.version();
            problems.add("patch " + patch.id() + " " + supports + " that live patch " + s.patchId() + " set up; build it "
                + "with --state " + id + "=" + s.version() + " (or higher) after making it handle that state, or roll back "
                + s.patchId() + " first");
        }
        if (!problems.isEmpty()) {
            throw new PatchException("refused patch " + patch.id() + ", nothing was changed:\n  - "
                + String.join("\n  - ", problems));
        }
    }

    private static PatchState declared(Patch patch, String id) {
        for (PatchState s : patch.states()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}
