package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;

/**
 * An apply or rollback that has nothing to do: the patch is the one live, or there is no patch to
 * undo. Nothing was changed, and nothing needed to be: the control channel and the MXBean answer it
 * as done ({@link #json}), so that running one command twice is safe in a script.
 */
public final class Unchanged extends PatchException {

    private static final long serialVersionUID = 1L;

    private final long generation;

    Unchanged(long generation, String message) {
        super(message);
        this.generation = generation;
    }

    /** The generation that stays current. */
    public long generation() {
        return generation;
    }

    /** The answer lp4j and the MXBean give: {"unchanged": true, "generation": N, "message": ...}. */
    String json() {
        com.google.gson.JsonObject r = new com.google.gson.JsonObject();
        r.addProperty("unchanged", true);
        r.addProperty("generation", generation);
        r.addProperty("message", getMessage());
        return r.toString();
    }
}
