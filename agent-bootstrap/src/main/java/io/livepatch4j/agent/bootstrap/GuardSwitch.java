package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.SwitchPoint;

/**
 * What holds the guards on that one transition turned on: while its {@link SwitchPoint} is valid, the
 * guard of each class it holds reads true. Turning the guards of a class set off one by one
 * deoptimizes the compiled code that inlined each guard in its own handshake (a rollback to the code
 * as loaded turned 329 classes off in 126-156 handshakes); invalidating the switch turns all of its
 * holders off in one ({@link PatchableClass#guardsOff}).
 *
 * <p>Concurrency: {@code holders} is written by the tooling only, under its lifecycle lock, like every
 * guard change; application threads only read the guards' call sites.
 */
public final class GuardSwitch {

    final SwitchPoint point = new SwitchPoint();
    /** The classes whose guard this switch holds on. */
    int holders;
}
