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

    /**
     * What went wrong with a file, in words: java.nio's messages are often the path alone
     * ("/nonexistent/x.lp4j"), which says neither what failed nor what to do.
     */
    static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String what = f instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : f instanceof java.nio.file.FileAlreadyExistsException ? "it already exists"
                : f instanceof java.nio.file.NotDirectoryException ? "not a folder"
                : f instanceof java.nio.file.DirectoryNotEmptyException ? "the folder is not empty"
                : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            String on = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
            String reason = f.getReason() != null && !what.equals(f.getReason()) && !(f instanceof java.nio.file.NoSuchFileException
                || f instanceof java.nio.file.AccessDeniedException) ? " (" + f.getReason() + ")" : "";
            return on.isEmpty() ? what + reason : on + ": " + what + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
