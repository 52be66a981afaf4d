package io.livepatch4j.patch;

/** A class the new build has and the old one did not; the agent defines it in the host's loader. */
public record NewClass(String name, byte[] bytes) {

    public String sha256() {
        return Sha256.hex(bytes);
    }

    public String internalName() {
        return name.replace('.', '/');
    }

    /** The package, as a binary name prefix ({@code com.acme}); empty for the unnamed package. */
    public String packageName() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
