package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.Javac;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrologueWriterTest {

    @Test
    void recordConstructorThatWritesTheRecordsFieldsKeepsNoPrologue() {
        byte[] record = Javac.compile("p.R", "package p; record R(String s) { R { s = s.trim(); }"
            + " R() { this(\"x\"); } String up() { return s.toUpperCase(); } }");
        List<String> skipped = PrologueWriter.addPrologues(record).skipped();
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).startsWith("<init>(Ljava/lang/String;)V: it writes the record's field s"), skipped.toString());
    }
}
