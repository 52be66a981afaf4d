package io.livepatch4j.it.review.app;

import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.quiescence.Quiescence;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Review: an application handler that no patch changes. Its first call into the patched class runs
 * inside a nested known unit (Quiescence.run: docs/agent.md says a known unit nested in an
 * application call runs the call's generation), its second directly; {@code between} runs between.
 */
public final class NestedThenDirect {

    private final Greeter greeter = new Greeter("nested");

    public String handle(Runnable between) {
        AtomicReference<String> a = new AtomicReference<>();
        Quiescence.run(() -> a.set(greeter.first()));
        between.run();
        String b = greeter.second();
        return a.get() + "+" + b;
    }
}
