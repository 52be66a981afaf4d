package io.livepatch4j.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/results/release-coverage.md keeps its hand-written reading beside generated numbers: each
 * generator replaces only the text between its own two markers, {@code <!-- NAME:begin -->} and
 * {@code <!-- NAME:end -->}, and leaves everything else as a person wrote it.
 */
final class ResultsDoc {

    private ResultsDoc() {}

    static void splice(Path doc, String name, String content) throws IOException {
        String begin = "<!-- " + name + ":begin (generated; edits here are overwritten) -->";
        String end = "<!-- " + name + ":end -->";
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        String block = begin + "\n" + content.strip() + "\n" + end;
        if (b < 0 || e < b) {
            text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "\n" + block + "\n";
        } else {
            text = text.substring(0, b) + block + text.substring(e + end.length());
        }
        Files.createDirectories(doc.toAbsolutePath().getParent());
        Files.writeString(doc, text, StandardCharsets.UTF_8);
    }
}
