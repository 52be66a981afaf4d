package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;

/**
 * A version's code cannot be defined in this JVM because a class it needs cannot be loaded here
 * (a library's optional dependency that is absent). Patcher leaves the class out of the patch when
 * the code as loaded needs it too (then no code of this JVM can ever run that class), and refuses
 * the patch otherwise.
 */
final class UnlinkableCode extends PatchException {

    private static final long serialVersionUID = 1L;

    final transient HostClass host;

    UnlinkableCode(HostClass host, String message, Throwable cause) {
        super(message, cause);
        this.host = host;
    }
}
