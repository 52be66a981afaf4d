package io.livepatch4j.it.review.app;

import io.livepatch4j.it.app.Greeter;

/**
 * Review: an application handler that no patch changes. It calls two methods the Greeter patch
 * changes, with {@code between} run between them, and answers "first+second"; a request that ran two
 * generations answers "v1+v2" or "v2+v1". Called from server code (a class outside the application's
 * packages), each call is an application call in the sense of docs/agent.md's general rule.
 */
public final class TwoCalls {

    private final Greeter greeter = new Greeter("two-calls");

    public String handle(Runnable between) {
        String a = greeter.first();
        between.run();
        String b = greeter.second();
        return a + "+" + b;
    }
}
