package io.livepatch4j.bench.bigpatch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a patch of about N classes is chosen: the workload's classes first, never overshooting N. */
class PatchBuildsTest {

    private static final List<String> PATCHABLE = List.of("a.Joiner", "a.Joiner$1", "a.Joiner$2", "a.Splitter",
        "b.Cache", "b.Cache$Segment", "c.Unused", "c.Unused$1");

    @Test
    void preferredEntriesComeFirstAndAnEntryBringsItsNestedClasses() {
        assertEquals(List.of("b.Cache", "a.Splitter"),
            PatchBuilds.choose(PATCHABLE, List.of("b.Cache", "a.Splitter", "a.Joiner"), 3));
    }

    @Test
    void anEntryThatWouldOvershootIsSkippedForASmallerOne() {
        assertEquals(List.of("a.Splitter"), PatchBuilds.choose(PATCHABLE, List.of("a.Joiner", "a.Splitter"), 1),
            "a.Joiner would bring 3 classes");
        assertEquals(List.of("a.Joiner$1"), PatchBuilds.choose(PATCHABLE, List.of("a.Joiner", "a.Joiner$1"), 1));
    }

    @Test
    void preferredNamesThatAreNotPatchableAreIgnored() {
        assertEquals(List.of("a.Joiner", "a.Joiner$1", "a.Joiner$2", "a.Splitter", "b.Cache", "b.Cache$Segment",
            "c.Unused", "c.Unused$1"), PatchBuilds.choose(PATCHABLE, List.of("z.NotChanged"), 100).stream()
            .flatMap(e -> PATCHABLE.stream().filter(c -> c.equals(e) || c.startsWith(e + "$"))).distinct().sorted().toList());
    }
}
