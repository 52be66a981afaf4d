package io.livepatch4j.it.hazard.app;

/** Compiled with the patch but left out of it by LatePatchRefusalIT, so LateAdded cannot be defined. */
public class LateBase {
}
