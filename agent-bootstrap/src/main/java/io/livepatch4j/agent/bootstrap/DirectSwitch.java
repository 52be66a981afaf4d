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
 * transition that retargets every site a switch still holds (a rollback of the patch, a patch of the
 * same classes) first invalidates the switch: one deoptimization of the compiled code that inlined
 * all of them, where retargeting site by site deoptimized it in a handshake per site. A switch that
 * also holds sites the transition leaves alone is not invalidated: those keep their direct call
 * throughout (invalidating it would send them to per-thread selection until they were given it back,
 * and a call from outside every unit in between would begin a unit, which a global transition's
 * barrier holds: the second review's finding); the transition's own sites are then retargeted one by
 * one, as without the switch.
 *
 * <p>Concurrency: {@code sites} is written and read by the tooling only, under its lifecycle lock
 * (every retargeting is); a site's own state is guarded by the site.
 */
public final class DirectSwitch {

    final SwitchPoint point = new SwitchPoint();
    /** The sites this switch has held (a site that moved on since no longer names it: {@link DispatchSite#heldBy}). */
    final List<DispatchSite> sites = new ArrayList<>();

    /**
     * Before a transition retargets {@code retargeted}: each switch that holds only sites among them
     * is invalidated, all such switches at once, and lets go of its sites. Tooling only, under its
     * lifecycle lock.
     */
    public static void leave(Collection<DispatchSite> retargeted) {
        Set<DispatchSite> next = Collections.newSetFromMap(new IdentityHashMap<>());
        next.addAll(retargeted);
        Set<DirectSwitch> held = new LinkedHashSet<>();
        for (DispatchSite s : retargeted) {
            DirectSwitch d = s.heldBy();
            if (d != null) {
                held.add(d);
            }
        }
        held.removeIf(d -> d.sites.stream().anyMatch(s -> s.heldBy() == d && !next.contains(s)));
        if (held.isEmpty()) {
            return;
        }
        SwitchPoint.invalidateAll(held.stream().map(d -> d.point).toArray(SwitchPoint[]::new));
        for (DirectSwitch d : held) {
            for (DispatchSite s : d.sites) {
                s.left(d);
            }
            d.sites.clear();
        }
    }
}
