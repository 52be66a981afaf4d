package io.livepatch4j.demo.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livepatch4j.demo.client.ResponseCheck.ServedVersion;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {

    @Test
    void stampsOfOneVersionClassifyAsThatVersion() {
        assertEquals(ServedVersion.V1, ResponseCheck.classifyServedBy("access=v1;render=v1"));
        assertEquals(ServedVersion.V2, ResponseCheck.classifyServedBy("access=v2;render=v2"));
        assertEquals(ServedVersion.V2, ResponseCheck.classifyServedBy(" access = V2 ; render=v2 "));
    }

    @Test
    void stampsOfBothVersionsClassifyAsMixed() {
        assertEquals(ServedVersion.MIXED, ResponseCheck.classifyServedBy("access=v1;render=v2"));
        assertEquals(ServedVersion.MIXED, ResponseCheck.classifyServedBy("access=v2;render=v1"));
        assertEquals(ServedVersion.MIXED, ResponseCheck.classifyServedBy("a=v1;b=v1;c=v2"));
    }

    @Test
    void missingOrUnreadableStampsAreUnknown() {
        for (String servedBy : new String[] {null, "", " ", "access", "=v1", "access=v1;;render=v1", "access=v1;",
                "access=v3;render=v3", "access=v1;render=", "access=v1;render=v2x"}) {
            assertEquals(ServedVersion.UNKNOWN, ResponseCheck.classifyServedBy(servedBy), String.valueOf(servedBy));
        }
    }

    @Test
    void classifyReadsTheServedByHeader() {
        Map<String, String> headers = Map.of(ResponseCheck.SERVED_BY, "access=v1;render=v2");
        assertEquals(ServedVersion.MIXED, ResponseCheck.classify(headers::get));
        assertEquals(ServedVersion.UNKNOWN, ResponseCheck.classify(name -> null));
    }

    @Test
    void generationIsReadFromItsHeader() {
        assertEquals(OptionalLong.of(3), ResponseCheck.generation(Map.of(ResponseCheck.CODE_GENERATION, "3")::get));
        assertEquals(OptionalLong.empty(), ResponseCheck.generation(name -> null));
        assertEquals(OptionalLong.empty(), ResponseCheck.generation(Map.of(ResponseCheck.CODE_GENERATION, "x")::get));
    }
}
