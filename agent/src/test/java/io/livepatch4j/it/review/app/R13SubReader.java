package io.livepatch4j.it.review.app;

/** Review of issue 13: reads R13Defaults.LIST as R13Sub.LIST (javac names R13Sub in the GETSTATIC). */
public class R13SubReader {
    public static String read() {
        return "sub " + R13Sub.LIST;
    }
}
