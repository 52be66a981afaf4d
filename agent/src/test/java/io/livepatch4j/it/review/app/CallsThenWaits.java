package io.livepatch4j.it.review.app;

import io.livepatch4j.it.app.Greeter;

/**
 * Review: an application handler that no patch changes: Greeter.first(), {@code before}, Greeter.second(),
 * then {@code after} (a long wait with no call into the patched class, as a long-poll request does).
 */
public final class CallsThenWaits {

    private final Greeter greeter = new Greeter("long-poll");

    public String handle(Runnable before, Runnable after) {
        String a = greeter.first();
        before.run();
        String b = greeter.second();
        after.run();
        return a + "+" + b;
    }
}
