package io.livepatch4j.it.app;

import java.util.function.Supplier;

/** Named by the agent's unitOfWork option in the integration tests: each call of work() is a unit. */
public class ConfiguredWorker {

    public <T> T work(Supplier<T> body) {
        return body.get();
    }
}
