package io.livepatch4j.maven;

import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.PatchState;
import io.livepatch4j.patch.build.BuildReport;
import io.livepatch4j.patch.build.BuildVerdict;
import io.livepatch4j.patch.build.Builds;
import io.livepatch4j.patch.build.PatchBuilder;
import io.livepatch4j.patch.sign.PatchSigning;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code livepatch4j:build-patch}: builds a patch from the artifact the service runs (a file, or Maven
 * coordinates) to this project's new build, as 'lp4j build --old OLD --new NEW' does: the same
 * builder, checks, report and refusals (docs/maven-plugin.md). Its parameters mirror lp4j build's
 * options.
 */
@Mojo(name = "build-patch", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class BuildPatchMojo extends AbstractMojo {

    /** The build the service runs, as a file: a jar, a WAR, a Spring Boot jar, a folder of classes or jars. */
    @Parameter(property = "livepatch4j.build.oldFile")
    File oldFile;

    /** The build the service runs, as Maven coordinates ({@code groupId:artifactId:version}), resolved through the project's repositories. */
    @Parameter(property = "livepatch4j.build.oldArtifact")
    String oldArtifact;

    /**
     * Whether both builds include the libraries they run on, so that the patch's code is link-checked
     * against them and library changes are compared: the new build's are the project's runtime
     * dependencies; oldArtifact's are its own runtime dependencies; oldFile is taken with the
     * project's (set false when oldFile already holds its libraries: a WAR, a Spring Boot jar).
     */
    @Parameter(property = "livepatch4j.build.libraries", defaultValue = "true")
    boolean libraries;

    /** The patch file to write (lp4j build -o). */
    @Parameter(property = "livepatch4j.build.output", defaultValue = "${project.build.directory}/${project.build.finalName}.lp4j")
    File output;

    /** Include only these classes (and their nested classes), or packages written {@code com.acme.*} (lp4j build --only). */
    @Parameter(property = "livepatch4j.build.only")
    List<String> only;

    /** Also include the changed classes the selected classes' new code needs to link (lp4j build --closure). */
    @Parameter(property = "livepatch4j.build.closure", defaultValue = "false")
    boolean closure;

    /** The patch id (default: derived from the content). */
    @Parameter(property = "livepatch4j.build.id")
    String id;

    /** Free text stored in the patch. */
    @Parameter(property = "livepatch4j.build.description")
    String description;

    /** Classes whose whole new static initializer runs once at apply (lp4j build --reinitialize). */
    @Parameter(property = "livepatch4j.build.reinitialize")
    List<String> reinitialize;

    /** Build a stacked patch on top of the live one, instead of a cumulative one (lp4j build --stack). */
    @Parameter(property = "livepatch4j.build.stack", defaultValue = "false")
    boolean stack;

    /** State versions the patch sets up or handles, {@code ID=VERSION} (lp4j build --state). */
    @Parameter(property = "livepatch4j.build.states")
    List<String> states;

    /** Refuse the patch when a difference would not be carried (lp4j build --strict). */
    @Parameter(property = "livepatch4j.build.strict", defaultValue = "false")
    boolean strict;

    /** The Ed25519 private key to sign the patch with (lp4j keygen's lp4j-signing.key); unsigned if not given. */
    @Parameter(property = "livepatch4j.build.signingKey")
    File signingKey;

    /** The public key of signingKey (default: lp4j-signing.pub beside it). */
    @Parameter(property = "livepatch4j.build.publicKey")
    File publicKey;

    /** Fail the build when no patch can be written (a refused change, nothing to patch); else warn and go on. */
    @Parameter(property = "livepatch4j.build.failOnRefusal", defaultValue = "true")
    boolean failOnRefusal;

    /** Where to write the report as JSON (lp4j build --json, schema in docs/cli.md). */
    @Parameter(property = "livepatch4j.build.jsonReport", defaultValue = "${project.build.directory}/livepatch4j-build.json")
    File jsonReport;

    /** Print every change in the report (lp4j build -v). */
    @Parameter(property = "livepatch4j.build.verbose", defaultValue = "false")
    boolean verbose;

    /**
     * Attach the patch to the project as an artifact of type {@code lp4j}, so that {@code mvn install}
     * and {@code mvn deploy} publish it beside the jar ({@code greeting-2.0.lp4j}).
     */
    @Parameter(property = "livepatch4j.build.attach", defaultValue = "true")
    boolean attach;

    /** Do nothing (a build with no release to compare with yet). */
    @Parameter(property = "livepatch4j.build.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remoteProjectRepositories}", readonly = true, required = true)
    List<RemoteRepository> repositories;

    @Component
    RepositorySystem repositorySystem;

    @Component
    MavenProjectHelper projectHelper;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("livepatch4j: build-patch skipped");
            return;
        }
        List<PatchState> declared = declaredStates();
        List<String> projectLibraries = projectLibraries();
        String oldName;
        List<String> oldPath;
        if ((oldFile == null) == (oldArtifact == null || oldArtifact.isBlank())) {
            throw new MojoExecutionException("give the build the service runs as oldFile (a jar, WAR, folder) or as "
                + "oldArtifact (groupId:artifactId:version), one of them: -Dlivepatch4j.oldFile=... or "
                + "-Dlivepatch4j.oldArtifact=...");
        } else if (oldFile != null) {
            oldName = oldFile.getPath();
            oldPath = OldBuild.ofFile(oldFile, libraries ? projectLibraries : null);
        } else {
            oldName = oldArtifact;
            oldPath = OldBuild.ofArtifact(oldArtifact, libraries, repositorySystem, repositorySession, repositories);
        }
        File own = project.getArtifact().getFile() != null ? project.getArtifact().getFile()
            : new File(project.getBuild().getOutputDirectory());
        List<String> newPath = new ArrayList<>();
        newPath.add(own.getPath());
        if (libraries) {
            newPath.addAll(projectLibraries);
        }
        String newName = project.getGroupId() + ":" + project.getArtifactId() + ":" + project.getVersion() + " (" + own + ")";

        Builds.Build before = read("oldFile/oldArtifact", oldPath);
        Builds.Build after = read("the project's build", newPath);
        // An empty <only/> selects everything, as no --only does (lp4j build passes null then).
        List<String> selected = only == null || only.isEmpty() ? null : only;
        PatchBuilder.Report r = PatchBuilder.build(before, after, new PatchBuilder.Options(id, description, selected,
            "livepatch4j " + plugin.getVersion(), closure, !stack, declared, reinitialize));
        BuildReport report = new BuildReport(r, oldName, newName, before, after, verbose);
        String refusal = BuildVerdict.refusal(r, strict);
        StringWriter text = new StringWriter();
        report.printText(new PrintWriter(text));
        text.toString().lines().forEach(line -> getLog().info(line));
        writeJson(report, refusal == null ? output.getPath() : null);
        if (refusal != null) {
            if (failOnRefusal) {
                throw new MojoFailureException("livepatch4j: " + refusal);
            }
            getLog().warn("livepatch4j: " + refusal + " (failOnRefusal is off, so the build goes on)");
            return;
        }
        Patch patch = signingKey == null ? r.patch() : sign(r.patch());
        try {
            Files.createDirectories(output.toPath().toAbsolutePath().getParent());
            PatchFormat.write(patch, output.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write the patch to " + output + ": " + e.getMessage(), e);
        }
        StringWriter written = new StringWriter();
        BuildReport.printWritten(new PrintWriter(written), output.getPath(), patch);
        written.toString().lines().forEach(line -> getLog().info(line));
        if (attach) {
            projectHelper.attachArtifact(project, "lp4j", output);
        }
    }

    private List<PatchState> declaredStates() throws MojoExecutionException {
        List<PatchState> declared = new ArrayList<>();
        try {
            for (String s : states == null ? List.<String>of() : states) {
                declared.add(PatchState.parse(s));
            }
        } catch (PatchException e) {
            throw new MojoExecutionException("states: " + e.getMessage(), e);
        }
        List<String> problems = PatchState.problems(declared);
        if (!problems.isEmpty()) {
            throw new MojoExecutionException("states: " + String.join("; ", problems));
        }
        return declared;
    }

    /** The project's runtime dependencies, in class path order (without its own classes). */
    private List<String> projectLibraries() throws MojoExecutionException {
        try {
            List<String> path = new ArrayList<>(project.getRuntimeClasspathElements());
            path.remove(project.getBuild().getOutputDirectory());
            return path;
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("the project's runtime dependencies are not resolved: " + e.getMessage(), e);
        }
    }

    private static Builds.Build read(String what, List<String> path) throws MojoExecutionException {
        try {
            return Builds.readArtifact(String.join(File.pathSeparator, path));
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private void writeJson(BuildReport report, String writtenTo) throws MojoExecutionException {
        if (jsonReport == null || jsonReport.getPath().isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(jsonReport.toPath().toAbsolutePath().getParent());
            Files.writeString(jsonReport.toPath(), report.json(writtenTo) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write the JSON report to " + jsonReport + ": " + e.getMessage(), e);
        }
    }

    private Patch sign(Patch patch) throws MojoExecutionException {
        File pub = publicKey != null ? publicKey : new File(signingKey.getParentFile(), PatchSigning.PUBLIC_KEY_FILE);
        try {
            return PatchSigning.signWithKeyFiles(patch, signingKey.toPath(), pub.toPath());
        } catch (IOException | GeneralSecurityException | PatchException e) {
            throw new MojoExecutionException("cannot sign the patch with " + signingKey + " and " + pub + ": "
                + e.getMessage() + " (do they belong together? 'lp4j keygen' makes a pair)", e);
        }
    }
}
