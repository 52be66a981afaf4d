package io.livepatch4j.it.app;

/** A record: a patch may not change a constructor that writes its fields (only its own {@code <init>} may). */
public record Label(String text) {

    public Label {
        text = text.trim();
    }
}
