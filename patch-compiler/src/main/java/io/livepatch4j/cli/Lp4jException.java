package io.livepatch4j.cli;

/** A refusal or failure with the one line lp4j prints and the exit code it ends with (docs/cli.md). */
class Lp4jException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Exit codes; docs/cli.md lists them. */
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int TARGET = 3;
    static final int TIMEOUT = 4;
    static final int INTERNAL = 5;

    private final int exitCode;

    Lp4jException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    Lp4jException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
