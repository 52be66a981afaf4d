package io.livepatch4j.it.hazard.app;

/** A class the patch adds, whose superclass the patch does not carry: defining it fails late. */
public class LateAdded extends LateBase {
}
