package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.Generation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every generation this JVM has had, G0 first. States change under {@link Lifecycle#lock} only; the
 * map and the record fields are safe to read without it (status).
 */
final class History {

    private final Map<Long, GenerationRecord> byNumber = new ConcurrentHashMap<>();

    History() {
        GenerationRecord g0 = new GenerationRecord(Generation.ZERO, "code as loaded", null, Strategy.LOCAL,
            Instant.now(), List.of(), Includes.NONE);
        g0.state = GenerationRecord.State.CURRENT;
        byNumber.put(0L, g0);
    }

    void add(GenerationRecord r) {
        for (GenerationRecord other : byNumber.values()) {
            if (other.state == GenerationRecord.State.CURRENT || other.state == GenerationRecord.State.TRANSITION) {
                other.state = GenerationRecord.State.LIVE;
            }
        }
        byNumber.put(r.generation.number(), r);
    }

    /**
     * The number of the next generation: after every generation this JVM has had, aborted ones
     * included, so a number is never handed out twice (caches keyed by generation number, such as
     * VirtualCalls', must never see an aborted generation's entries for another generation).
     */
    long nextNumber() {
        long max = 0;
        for (Long n : byNumber.keySet()) {
            max = Math.max(max, n);
        }
        return max + 1;
    }

    GenerationRecord get(long number) {
        GenerationRecord r = byNumber.get(number);
        return r == null || r.state == GenerationRecord.State.ABORTED ? null : r;
    }

    void markRetired(long number) {
        GenerationRecord r = byNumber.get(number);
        if (r != null && r.state != GenerationRecord.State.ABORTED) {
            r.state = GenerationRecord.State.RETIRED;
        }
    }

    void markCurrent(long number, long transitionNanos) {
        GenerationRecord r = byNumber.get(number);
        if (r != null) {
            r.state = GenerationRecord.State.CURRENT;
            r.transitionNanos = transitionNanos;
        }
    }

    void markAborted(long number) {
        GenerationRecord r = byNumber.get(number);
        if (r != null) {
            r.state = GenerationRecord.State.ABORTED;
        }
        // The generation that was current before is current again.
        GenerationRecord newest = null;
        for (GenerationRecord other : byNumber.values()) {
            if (other.state == GenerationRecord.State.LIVE
                && (newest == null || other.generation.number() > newest.generation.number())) {
                newest = other;
            }
        }
        if (newest != null) {
            newest.state = GenerationRecord.State.CURRENT;
        }
    }

    List<GenerationRecord> all() {
        List<GenerationRecord> list = new ArrayList<>(byNumber.values());
        list.sort((a, b) -> Long.compare(a.generation.number(), b.generation.number()));
        return list;
    }
}
