package io.livepatch4j.patch.build;

import io.livepatch4j.patch.NotCarried;

import java.io.PrintWriter;
import java.util.List;

/** Prints the differences a patch does not carry, where build, inspect and apply report them. */
public final class NotCarriedNotice {

    private NotCarriedNotice() {}

    public static void print(List<NotCarried> notCarried, PrintWriter out) {
        if (notCarried.isEmpty()) {
            return;
        }
        BuildReport.wrap(out, "NOT CARRIED: " + notCarried.size() + " difference(s) between the builds stay as the old "
            + "build had them in a patched JVM:", "", "  ");
        for (NotCarried n : notCarried) {
            BuildReport.wrap(out, n.message(), "  ", "      ");
        }
    }
}
