package io.livepatch4j.it.review;

import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;

import java.util.Map;

final class ReviewPatches {
    private ReviewPatches() {}

    static Patch rvV2() {
        return TestPatches.build("review-rv-v2", Map.of("io.livepatch4j.it.review.app.Rv",
            "package io.livepatch4j.it.review.app;\npublic class Rv {\n public static String v() { return \"v2\"; }\n}\n"));
    }

    static Patch rvV3() {
        return TestPatches.build("review-rv-v3", Map.of("io.livepatch4j.it.review.app.Rv",
            "package io.livepatch4j.it.review.app;\npublic class Rv {\n public static String v() { return \"v3\"; }\n}\n"));
    }

    static Patch deepV2() {
        return TestPatches.build("review-deep-v2", Map.of("io.livepatch4j.it.review.app.Deep",
            "package io.livepatch4j.it.review.app;\npublic class Deep {\n"
            + " public static String run(int depth, Runnable atBottom) {\n"
            + "  String a = helper();\n  io.livepatch4j.it.review.Recurse.down(depth, atBottom);\n  String b = helper();\n"
            + "  return \"v2:\" + a + \"/\" + b;\n }\n"
            + " public static String helper() { return \"v2\"; }\n}\n"));
    }
}
