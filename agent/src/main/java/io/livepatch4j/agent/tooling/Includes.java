package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a generation includes: the ids of the patches whose code it runs, oldest first, and the
 * states those patches set up (the union of their declared states, each at its highest version,
 * with the patch that set that version up). G0 includes nothing; a stacked patch adds itself to the
 * current generation's list; a cumulative (replace) patch is the whole list; a rollback to Gk
 * includes what Gk included. Immutable.
 */
record Includes(List<String> patches, Map<String, LiveState> states) {

    /** A state as a generation has it: its version and the patch that set that version up. */
    record LiveState(int version, String patchId) {
    }

    /** G0's: the code as loaded. */
    static final Includes NONE = new Includes(List.of(), Map.of());

    Includes {
        patches = List.copyOf(patches);
        states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    /**
     * What the generation that {@code patch} makes from this one includes. Call after
     * {@link StateRule#check} passed, which is what makes "the highest version" the patch's own
     * wherever both declare a state.
     */
    Includes after(Patch patch) {
        List<String> ids = new ArrayList<>(patch.replace() ? List.of() : patches);
        ids.add(patch.id());
        Map<String, LiveState> next = new LinkedHashMap<>(patch.replace() ? Map.of() : states);
        for (PatchState s : patch.states()) {
            LiveState live = next.get(s.id());
            if (live == null || s.version() > live.version()) {
                next.put(s.id(), new LiveState(s.version(), patch.id()));
            }
        }
        return new Includes(ids, next);
    }

    /** State id to version, as status shows them. */
    Map<String, Integer> versions() {
        Map<String, Integer> v = new LinkedHashMap<>();
        states.forEach((id, s) -> v.put(id, s.version()));
        return v;
    }

    @Override
    public String toString() {
        return patches.isEmpty() ? "no patch" : "patches " + String.join(", ", patches);
    }
}
