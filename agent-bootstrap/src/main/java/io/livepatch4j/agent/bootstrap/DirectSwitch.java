package io.livepatch4j.agent.bootstrap;

import java.lang.invoke.SwitchPoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What holds the direct calls that one transition's completion gave its dispatch sites: while its
 * {@link SwitchPoint} is valid, such a site calls its version's method directly, which the JIT
 * inlines; once it is invalidated, the site selects per thread (always right, slower). The next
 * transition that retargets any of these sites first invalidates the switch: one deoptimization of
 * the compiled code that inlined all of them, where retargeting site by site deoptimized it in a
 * handshake per site (a rollback of 329 classes: 100-150). Then each site is retargeted at no further
 * cost: the new transition's, by its {@link DispatchSite#select}; the others the switch held get
 * their direct call back ({@link #leave}).
 *
 * <p>Concurrency: {@code sites} is written and read by the tooling only, under its lifecycle lock
 * (every retargeting is); a site's own state is guarded by the site.
 */
public final class DirectSwitch {

    final SwitchPoint point = new SwitchPoint();
    /** The sites this switch has held (a site that moved on since no longer names it: {@link DispatchSite#heldBy}). */
    final List<DispatchSite> sites = new ArrayList<>();

    /**
     * Before a transition retargets {@code retargeted}: the switches that hold any of them are
     * invalidated, all at once, and the other sites those switches held call their version
     * directly again. Tooling only, under its lifecycle lock.
     */
    public static void leave(Collection<DispatchSite> retargeted) {
        Set<DirectSwitch> held = new LinkedHashSet<>();
        for (DispatchSite s : retargeted) {
            DirectSwitch d = s.heldBy();
            if (d != null) {
                held.add(d);
            }
        }
        if (held.isEmpty()) {
            return;
        }
        SwitchPoint.invalidateAll(held.stream().map(d -> d.point).toArray(SwitchPoint[]::new));
        Set<DispatchSite> next = Collections.newSetFromMap(new IdentityHashMap<>());
        next.addAll(retargeted);
        for (DirectSwitch d : held) {
            for (DispatchSite s : d.sites) {
                s.left(d, next.contains(s));
            }
            d.sites.clear();
        }
    }
}
