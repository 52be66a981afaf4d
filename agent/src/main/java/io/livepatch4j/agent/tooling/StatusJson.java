package io.livepatch4j.agent.tooling;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** JSON for status and results, as the MBean, the control channel and 'lp4j status --json' give it. */
public final class StatusJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
        .serializeSpecialFloatingPointValues().create();

    private StatusJson() {}

    public static String of(Object value) {
        return GSON.toJson(value);
    }
}
