package io.livepatch4j.it.app;

/** A record: only its own {@code <init>} may write its fields, so its constructor is never dispatched. */
public record Label(String text) {

    public Label {
        text = text.trim();
    }

    public String shout() {
        return text + "!";
    }
}
