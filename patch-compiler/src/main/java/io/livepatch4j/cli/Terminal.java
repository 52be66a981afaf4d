package io.livepatch4j.cli;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Where lp4j's standard output goes: a terminal a person watches (a progress line is redrawn in
 * place there) or a file or pipe (a script reads it: a plain line per change, never a redraw).
 */
final class Terminal {

    private final PrintWriter out;
    /** The writer under {@code out} that lets lp4j's own control sequences through; null when not a terminal. */
    private final TerminalSafeWriter controls;

    private Terminal(PrintWriter out, TerminalSafeWriter controls) {
        this.out = out;
        this.controls = controls;
    }

    /** A file, a pipe, or a test's buffer. */
    static Terminal plain(PrintWriter out) {
        return new Terminal(out, null);
    }

    /** Standard output: a terminal when the JVM has one (as isatty says) and TERM is not "dumb". */
    static Terminal of(PrintWriter out, TerminalSafeWriter safe) {
        return new Terminal(out, standardOutputIsATerminal() ? safe : null);
    }

    /** Counts what is printed through {@link #out()}, so that {@link #written()} can tell. */
    private java.util.concurrent.atomic.AtomicLong count;

    /** This terminal, with what is printed on it counted ({@link #written()}). */
    Terminal counted() {
        java.util.concurrent.atomic.AtomicLong chars = new java.util.concurrent.atomic.AtomicLong();
        PrintWriter under = out;
        java.io.Writer counting = new java.io.Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                chars.addAndGet(len);
                under.write(cbuf, off, len);
            }

            @Override
            public void flush() {
                under.flush();
            }

            @Override
            public void close() {
                under.flush();
            }
        };
        Terminal t = new Terminal(new PrintWriter(counting, true), controls);
        t.count = chars;
        return t;
    }

    /** Whether anything was printed on standard output (a {@link #counted()} terminal only). */
    boolean written() {
        if (count == null) {
            throw new IllegalStateException("not counted");
        }
        out.flush();
        return count.get() > 0;
    }

    boolean interactive() {
        return controls != null;
    }

    PrintWriter out() {
        return out;
    }

    /** Replaces the line the cursor is on with {@code text} (a terminal only), leaving the cursor at its end. */
    void redraw(String text) {
        out.flush();
        try {
            controls.control("\r");
            out.print(text);
            out.flush();
            controls.control("\033[K");
        } catch (IOException e) {
            out.println(text); // a terminal that went away: the text is all that matters
        }
    }

    /**
     * System.console() is non-null when standard input and output are both a terminal (JDK 17); from
     * JDK 22 it is non-null for any launch and Console.isTerminal() says whether it is one.
     */
    private static boolean standardOutputIsATerminal() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17 to 21: a console exists only on a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
