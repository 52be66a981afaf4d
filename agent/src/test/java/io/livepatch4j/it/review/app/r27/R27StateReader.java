package io.livepatch4j.it.review.app.r27;

import io.livepatch4j.it.review27.R27Park;

/** Review 27: reads R27State; no patch changes its code, only the static state it reaches. */
public class R27StateReader {

    public static String read() {
        String a = R27State.S + ":" + R27StateSrc.src();
        R27Park.park("read");
        return a + "/" + R27State.S + ":" + R27StateSrc.src();
    }
}
