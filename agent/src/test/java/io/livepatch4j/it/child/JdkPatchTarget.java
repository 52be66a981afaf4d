package io.livepatch4j.it.child;

import io.livepatch4j.control.LivePatchJmx;


import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * For JdkClassPatchRefusedIT, run with the agent in prepared mode: applies the patch file it was
 * given (one that changes java.util.ArrayList) and prints what happened, on one line.
 */
public final class JdkPatchTarget {

    public static void main(String[] args) throws Exception {
        if (!LivePatchJmx.awaitAgent(Duration.ofSeconds(20))) {
            throw new IllegalStateException("the agent did not register its MXBean within 20 s");
        }
        long before = LivePatchJmx.currentGeneration();
        String outcome;
        try {
            LivePatchJmx.apply(Path.of(args[0]));
            outcome = "applied";
        } catch (Throwable t) {
            outcome = "refused by " + t.getClass().getName() + ": " + String.valueOf(t.getMessage()).replace('\n', ' ');
        }
        ArrayList<Integer> list = new ArrayList<>(List.of(1, 2));
        list.trimToSize();
        System.out.println("RESULT generationChanged=" + (LivePatchJmx.currentGeneration() != before)
            + " classes=" + LivePatchJmx.patchedClasses() + " list=" + list + " outcome=" + outcome);
        System.out.flush();
    }
}
