package io.livepatch4j.cli;

import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.PatchState;
import io.livepatch4j.patch.build.BuildReport;
import io.livepatch4j.patch.build.BuildVerdict;
import io.livepatch4j.patch.build.Builds;
import io.livepatch4j.patch.build.PatchBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** lp4j build: a patch from two builds of one program. */
@Command(name = "build", description = "Build a patch from the build a JVM runs (--old) and the fixed build (--new).")
final class BuildCommand implements Callable<Integer> {

    @Option(names = "--old", required = true, description = "the build the JVM runs, as deployed: a jar (plain or "
        + "shaded), a Spring Boot jar or WAR, a WAR, a folder of jars or of classes, or a class path (a.jar:b.jar:dir)")
    String oldBuild;

    @Option(names = "--new", required = true, description = "the fixed build, in the same form as --old")
    String newBuild;

    @Option(names = {"-o", "--output"}, description = "the patch file to write")
    Path output;

    @Option(names = "--only", description = "include only this class (and its nested classes), or a package "
        + "with '.*'; repeatable. Added classes the selected code uses come along.")
    List<String> only;

    @Option(names = "--id", description = "the patch id (default: derived from the content)")
    String id;

    @Option(names = "--description", description = "free text stored in the patch")
    String description;

    @Option(names = "--closure", description = "also include the changed classes that the selected classes' new "
        + "code needs in order to link (it uses a member only their new build has), and theirs in turn; the report "
        + "says what this added and why")
    boolean closure;

    @Option(names = "--reinitialize", paramLabel = "CLASS", description = "give the new generation fresh static "
        + "state of this class: its whole new static initializer runs once when the patch is applied, its static "
        + "fields start fresh for the new code, and every class that reads them comes along (for state the old "
        + "initializer built with the old code, such as a shared default instance); repeatable. See "
        + "docs/patch-format.md")
    List<String> reinitialize;

    @Option(names = "--stack", description = "build a stacked patch: --old is the new build of a patch that is live "
        + "in the JVM, and this patch applies on top of it. Without --stack the patch is cumulative: --old is the "
        + "build the JVM started with, and the patch replaces whatever patch is live, in one transition")
    boolean stack;

    @Option(names = "--state", paramLabel = "ID=VERSION", description = "a state version the patch sets up or handles "
        + "(a data or session format, say); repeatable. The agent refuses a patch that does not handle a state a live "
        + "patch set up at that version or higher (docs/patch-format.md)")
    List<String> states;

    @Option(names = "--json", description = "print the report as JSON (schema in docs/cli.md) instead of text")
    boolean json;

    @Option(names = "--dry-run", description = "report what is patchable and write nothing; exits as build would "
        + "(1 when a change cannot be patched)")
    boolean dryRun;

    @Option(names = "--strict", description = "refuse to write a patch when any difference between the selected "
        + "classes or resources is not carried (annotations, constants read by reflection, resources...; listed "
        + "as NOT CARRIED); classes left out with --only are not such differences")
    boolean strict;

    @Option(names = {"-v", "--verbose"}, description = "print every change, and stack traces on errors")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Lp4jException {
        if (output == null && !dryRun) {
            throw new Lp4jException(Lp4jException.USAGE, "give the patch file to write with -o FILE, or --dry-run");
        }
        List<PatchState> declared = new ArrayList<>();
        try {
            for (String st : states == null ? List.<String>of() : states) {
                declared.add(PatchState.parse(st));
            }
        } catch (PatchException e) {
            throw new Lp4jException(Lp4jException.USAGE, "--state " + e.getMessage(), e);
        }
        List<String> problems = PatchState.problems(declared);
        if (!problems.isEmpty()) {
            throw new Lp4jException(Lp4jException.USAGE, "--state: " + String.join("; ", problems));
        }
        Builds.Build before;
        Builds.Build after;
        try {
            before = Builds.readArtifact(oldBuild);
            after = Builds.readArtifact(newBuild);
        } catch (IOException e) {
            throw new Lp4jException(e.getMessage() != null && e.getMessage().startsWith("refused:")
                ? Lp4jException.REFUSED : Lp4jException.USAGE, e.getMessage(), e);
        }
        PatchBuilder.Report r = PatchBuilder.build(before, after,
            new PatchBuilder.Options(id, description, only, "livepatch4j " + Lp4j.version(), closure, !stack, declared,
                reinitialize));
        PrintWriter out = spec.commandLine().getOut();
        BuildReport report = new BuildReport(r, oldBuild, newBuild, before, after, verbose);
        String refusal = BuildVerdict.refusal(r, strict);
        // The patch is written before the report is printed: --json's patch.file says it was written only if it was.
        Lp4jException unwritten = null;
        if (refusal == null && !dryRun) {
            try {
                PatchFormat.write(r.patch(), output);
            } catch (IOException e) {
                unwritten = new Lp4jException(Lp4jException.USAGE, "cannot write the patch to " + output + ": "
                    + Lp4jException.describe(e) + "; give -o a path in a folder you may write", e);
            }
        }
        boolean written = refusal == null && !dryRun && unwritten == null;
        if (json) {
            out.println(report.json(written ? output.toString() : null));
        } else {
            report.printText(out);
        }
        out.flush(); // the report first, then what goes to stderr: on one terminal they must not interleave
        // --dry-run exits as build would: a script asks "would this build?" and reads the answer in the code.
        if (refusal != null) {
            throw new Lp4jException(Lp4jException.REFUSED, refusal);
        }
        if (dryRun) {
            return 0;
        }
        if (unwritten != null) {
            throw unwritten;
        }
        if (!json) {
            BuildReport.printWritten(out, output.toString(), r.patch());
        }
        return 0;
    }
}
