package io.livepatch4j.bench.prepared;

import io.livepatch4j.bench.prepared.workload.CommonsTextWorkload;
import io.livepatch4j.bench.prepared.workload.GuavaWorkload;
import io.livepatch4j.bench.prepared.workload.JacksonWorkload;

import java.util.List;
import java.util.function.Supplier;

/** The library workloads by name: what each runs, and which packages the agent prepares for it. */
enum Workloads {

    GUAVA("guava", "Guava 33.4.8: parse, cache, group, sort, join, hash", GuavaWorkload::new),
    JACKSON("jackson", "Jackson databind 2.18.2: order to JSON, back, and as a tree", JacksonWorkload::new),
    COMMONS("commons", "commons-lang3 3.17 + commons-text 1.12: clean, fill, escape, wrap", CommonsTextWorkload::new);

    final String id;
    final String description;
    private final Supplier<Workload> factory;

    Workloads(String id, String description, Supplier<Workload> factory) {
        this.id = id;
        this.description = description;
        this.factory = factory;
    }

    /** The packages to prepare: the library's and the workload's own (read from the workload, not loaded here). */
    List<String> packages() {
        return switch (this) {
            case GUAVA -> List.of("com.google.common", "io.livepatch4j.bench.prepared.workload");
            case JACKSON -> List.of("com.fasterxml.jackson", "io.livepatch4j.bench.prepared.workload");
            case COMMONS -> List.of("org.apache.commons.lang3", "org.apache.commons.text",
                "io.livepatch4j.bench.prepared.workload");
        };
    }

    static Workload create(String id) {
        return of(id).factory.get();
    }

    static Workloads of(String id) {
        for (Workloads w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload " + id + "; known: guava, jackson, commons");
    }
}
