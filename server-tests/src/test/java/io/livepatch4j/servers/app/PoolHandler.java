package io.livepatch4j.servers.app;

import io.livepatch4j.servers.child.PoolServer;
import io.livepatch4j.servers.handler.Work;

/**
 * The application's handler on {@link PoolServer}, in the application's package and unchanged by the
 * patch: its call from the pool's worker is the application call that the general rule makes one
 * unit of work (Work, which it calls, lies outside the application's packages, as a library would).
 */
public final class PoolHandler implements PoolServer.Handler {

    @Override
    public String handle(String path) {
        return Work.answer(path);
    }
}
