package io.livepatch4j.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The build the service runs, as a class path for lp4j's reader: a file as given (any form
 * 'lp4j build --old' takes), or Maven coordinates resolved through the project's repositories with
 * the Maven resolver, with the libraries it runs on (its runtime dependencies, from its own pom).
 */
final class OldBuild {

    private static final Set<String> RUNTIME_SCOPES = Set.of("compile", "runtime");

    private OldBuild() {}

    /**
     * @param libraries the libraries to add to a file (the project's runtime dependencies), or
     *                  null to take the file as the whole build
     */
    static List<String> ofFile(File file, List<String> libraries) throws MojoExecutionException {
        if (!file.exists()) {
            throw new MojoExecutionException("oldFile " + file + " does not exist; give the jar (or WAR, folder, "
                + "Spring Boot jar) the service runs, or its coordinates as oldArtifact");
        }
        List<String> path = new ArrayList<>();
        path.add(file.getPath());
        if (libraries != null) {
            path.addAll(libraries);
        }
        return path;
    }

    /**
     * @param coordinates {@code groupId:artifactId[:extension[:classifier]]:version}
     * @param libraries   whether to add the artifact's runtime dependencies
     */
    static List<String> ofArtifact(String coordinates, boolean libraries, RepositorySystem system,
                                   RepositorySystemSession session, List<RemoteRepository> repositories)
        throws MojoExecutionException {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("oldArtifact " + coordinates + " is not Maven coordinates; write it as "
                + "groupId:artifactId:version (or groupId:artifactId:extension[:classifier]:version)", e);
        }
        CollectRequest collect = new CollectRequest(new Dependency(artifact, "runtime"), repositories);
        DependencyRequest request = new DependencyRequest(collect, (node, parents) -> {
            // The root, then what it needs at run time: not its test, provided or optional dependencies.
            Dependency d = node.getDependency();
            return parents.isEmpty() || (libraries && d != null && RUNTIME_SCOPES.contains(d.getScope()) && !d.isOptional());
        });
        List<ArtifactResult> results;
        try {
            results = system.resolveDependencies(session, request).getArtifactResults();
        } catch (DependencyResolutionException e) {
            throw new MojoExecutionException("cannot resolve oldArtifact " + coordinates + " through the project's "
                + "repositories: " + e.getMessage() + ". Check the coordinates, or give the file as oldFile", e);
        }
        List<String> path = new ArrayList<>();
        for (ArtifactResult r : results) {
            Path file = r.getArtifact().getFile().toPath();
            if (Files.exists(file)) {
                path.add(file.toString());
            }
        }
        return path;
    }
}
