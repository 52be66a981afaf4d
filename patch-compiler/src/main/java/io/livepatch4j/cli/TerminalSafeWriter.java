package io.livepatch4j.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What lp4j prints includes text other users chose: a JVM's answers and process names (lp4j list,
 * status), a patch's id and description (inspect). Control characters in it could move the cursor,
 * rewrite the screen or set the window title of root's terminal, so every one of them but newline
 * and tab is printed as {@code \\uXXXX} (issue 14 review, F9).
 */
final class TerminalSafeWriter extends FilterWriter {

    TerminalSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        if (safe((char) c)) {
            super.write(c);
        } else {
            super.write(String.format("\\u%04x", c));
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(cbuf[i]);
        }
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(str.charAt(i));
        }
    }

    /**
     * Writes lp4j's own control sequence (the progress line's carriage return and erase-line), the
     * one thing that may move the cursor; never text that came from elsewhere.
     */
    void control(String sequence) throws IOException {
        out.write(sequence);
        out.flush();
    }

    private static boolean safe(char c) {
        return c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f));
    }
}
