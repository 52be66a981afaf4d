package io.livepatch4j.it.review.app;
/** review18b: the class both patch A and stacked patch B change. */
public class Rv18Wide {
    public static String v() { return "D"; }
}
