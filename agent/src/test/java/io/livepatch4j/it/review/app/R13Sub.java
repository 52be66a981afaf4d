package io.livepatch4j.it.review.app;

/** Review of issue 13: a subclass through whose name the inherited static field is read. */
public class R13Sub extends R13Defaults {
}
