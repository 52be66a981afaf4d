package io.livepatch4j.it.review30;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Test-only view of the agent's hold map for one task object (reflection into Carriers.TASKS), for messages. */
final class Review30Holds {

    private Review30Holds() {}

    static String of(Object task) {
        try {
            Class<?> carriers = Class.forName("io.livepatch4j.agent.bootstrap.Carriers", false, null);
            Field tasks = carriers.getDeclaredField("TASKS");
            tasks.setAccessible(true);
            Object map = tasks.get(null);
            Field units = carriers.getDeclaredField("units");
            units.setAccessible(true);
            Map<?, ?> m = (Map<?, ?>) units.get(map);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (((Reference<?>) e.getKey()).get() == task) {
                    return describe(e.getValue());
                }
            }
            return "[]";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "(holds unreadable: " + e + ")";
        }
    }

    private static String describe(Object held) throws ReflectiveOperationException {
        List<String> out = new ArrayList<>();
        if (held.getClass().getSimpleName().equals("Queued")) {
            Field f = held.getClass().getDeclaredField("holds");
            f.setAccessible(true);
            for (Object h : (Collection<?>) f.get(held)) {
                out.add(hold(h));
            }
        } else {
            out.add(hold(held));
        }
        return out.toString();
    }

    private static String hold(Object h) throws ReflectiveOperationException {
        Object unit = h;
        String owner = "-";
        if (h instanceof Reference<?> r) {
            Field f = h.getClass().getDeclaredField("unit");
            f.setAccessible(true);
            unit = f.get(h);
            Object o = r.get();
            owner = o == null ? "null" : o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
        }
        if (unit == null) {
            return "empty@" + owner;
        }
        Field g = unit.getClass().getDeclaredField("generation");
        g.setAccessible(true);
        return "unit" + Integer.toHexString(System.identityHashCode(unit)) + "(" + g.get(unit) + ")@" + owner;
    }
}
