package io.livepatch4j.it.app;

/** A class the patch adds. */
final class CatalogEntry {

    private final String value;

    CatalogEntry(String value) {
        this.value = value;
    }

    String render() {
        return value.length() + "x" + value;
    }
}
