package io.livepatch4j.patch;

/**
 * A patch was refused or could not be read. The message is complete on its own: what was refused,
 * which class and member, why, and what to do instead. Nothing was changed.
 */
public class PatchException extends Exception {

    private static final long serialVersionUID = 1L;

    public PatchException(String message) {
        super(message);
    }

    public PatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
