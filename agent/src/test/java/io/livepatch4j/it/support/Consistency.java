package io.livepatch4j.it.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consistency checker: each unit of work reports which code version each patched method it
 * called ran; a unit that saw two versions is recorded as mixed. It can fail: the redefine
 * strategy's test shows it catching a mixed unit.
 */
public final class Consistency {

    private final AtomicLong units = new AtomicLong();
    private final List<String> mixed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

    /** Records one unit that ran the given versions, one per patched call, in order. */
    public void unit(String... versions) {
        units.incrementAndGet();
        for (String v : versions) {
            if (!v.equals(versions[0])) {
                mixed.add(String.join(",", versions) + " on " + Thread.currentThread().getName());
                return;
            }
        }
    }

    /** Records a unit that ran other code than its generation's. */
    public void wrong(String what) {
        wrong.add(what);
    }

    public void error(Throwable t) {
        errors.add(t);
    }

    public long units() {
        return units.get();
    }

    public List<String> mixed() {
        return List.copyOf(mixed);
    }

    public List<String> wrong() {
        return List.copyOf(wrong);
    }

    public List<Throwable> errors() {
        return List.copyOf(errors);
    }
}
