package io.livepatch4j.it.review13;

import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;

import java.util.List;
import java.util.Map;

/** TestPatches.buildLikeLp4j with a cumulative (replace) patch, as 'lp4j build' (without --stack) makes. */
final class Build {

    private Build() {}

    static Patch cumulative(String id, Map<String, String> sources, List<String> unchanged, List<String> reinit) {
        return TestPatches.buildLikeLp4j(id, sources, unchanged, reinit).withCumulative(true, List.of());
    }
}
