package io.livepatch4j.it.review.app.r27;

import io.livepatch4j.it.review27.R27Park;

/** Review 27: methods a thread parks in while a transition's stack check looks at its frames. */
public class R27Frames {

    public static String changed() {
        String a = R27Side.tag();
        R27Park.park("changed");
        return "v1:" + a + "/" + R27Side.tag();
    }

    public static String unchanged() {
        String a = R27Side.tag();
        R27Park.park("unchanged");
        return "same:" + a + "/" + R27Side.tag();
    }

    public static String other() {
        String a = R27Side.tag();
        R27Park.park("other");
        return "o1:" + a + "/" + R27Side.tag();
    }
}
