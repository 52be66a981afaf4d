package io.livepatch4j.patch.rewrite;

/** Code that the rewrite pipeline cannot express; the message names the class, member and what to do. */
public class RewriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RewriteException(String message) {
        super(message);
    }
}
