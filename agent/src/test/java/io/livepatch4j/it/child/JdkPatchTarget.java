package io.livepatch4j.it.child;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For JdkClassPatchRefusedIT, run with the agent in prepared mode: applies the patch file it was
 * given (one that changes java.util.ArrayList) and prints what happened, on one line.
 */
public final class JdkPatchTarget {

    public static void main(String[] args) {
        long before = LivePatch.currentGeneration();
        String outcome;
        try {
            LivePatch.apply(Path.of(args[0]), Strategy.LOCAL);
            outcome = "applied";
        } catch (Throwable t) {
            outcome = "refused by " + t.getClass().getName() + ": " + String.valueOf(t.getMessage()).replace('\n', ' ');
        }
        Status s = LivePatch.status();
        ArrayList<Integer> list = new ArrayList<>(List.of(1, 2));
        list.trimToSize();
        System.out.println("RESULT generationChanged=" + (s.currentGeneration() != before)
            + " classes=" + s.classes().stream().map(Status.ClassStatus::name).toList()
            + " list=" + list + " outcome=" + outcome);
        System.out.flush();
    }
}
