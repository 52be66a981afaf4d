package io.livepatch4j.it.app;

import io.livepatch4j.it.pool.PoolServer;

import java.util.concurrent.locks.LockSupport;

/**
 * Application code that a patch leaves unchanged: it calls two methods that the patch changes, one
 * after the other, with work between them, and answers "first+second". A request that ran two
 * generations answers "v1+v2" or "v2+v1".
 */
public final class ShopHandler implements PoolServer.Handler {

    private final Greeter greeter = new Greeter("shop");

    @Override
    public String handle(String path) {
        String a = greeter.first();
        LockSupport.parkNanos(200_000);
        String b = greeter.second();
        return a + "+" + b;
    }
}
