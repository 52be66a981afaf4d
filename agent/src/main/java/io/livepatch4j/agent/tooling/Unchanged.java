package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;

/**
 * An apply or rollback that has nothing to do: the patch is the one live, or there is no patch to
 * undo. Nothing was changed, and nothing needed to be: the control channel answers it as done
 * ({@code "unchanged": true}), so that running one command twice is safe in a script.
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
}
