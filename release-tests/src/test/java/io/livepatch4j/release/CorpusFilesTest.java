package io.livepatch4j.release;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * corpus.tsv is the single list of pairs; pom.xml's "corpus" execution is what fetches them. This
 * keeps the two in step: every jar the list names must be in target/corpus after the fetch.
 */
class CorpusFilesTest {

    @Test
    void everyJarCorpusTsvNamesIsFetchedByThePom() {
        List<Corpus.Pair> pairs = Corpus.fromSystemProperties();
        Path dir = Corpus.dir();
        List<String> missing = new ArrayList<>();
        for (Corpus.Pair p : pairs) {
            List<Path> jars = new ArrayList<>(List.of(p.oldJar(dir), p.newJar(dir)));
            jars.addAll(p.depJars(dir));
            jars.stream().filter(j -> !Files.isRegularFile(j)).forEach(j -> missing.add(p.id() + ": " + j.getFileName()));
        }
        assertTrue(missing.isEmpty(), "corpus.tsv names jars that release-tests/pom.xml does not fetch (add an "
            + "artifactItem to the 'corpus' execution for each): " + missing);
    }

    @Test
    void pairIdsAreUniqueAndReleasesDiffer() {
        Set<String> ids = new HashSet<>();
        for (Corpus.Pair p : Corpus.fromSystemProperties()) {
            assertTrue(ids.add(p.id()), "pair id " + p.id() + " appears twice in corpus.tsv");
            assertTrue(!p.oldVersion().equals(p.newVersion()), p.id() + ": old and new release are the same version");
        }
        assertTrue(ids.size() >= 12, "issue 13 asks for at least 12 release pairs; corpus.tsv has " + ids.size());
    }

    @Test
    void jarNamesFollowMavenDependencyPluginsDefault() {
        assertEquals("log4j-api-2.14.1.jar", Corpus.jarName("org.apache.logging.log4j:log4j-api:2.14.1"));
    }
}
