package io.livepatch4j.patch;

/**
 * One change to one member. {@code member} is {@code name + descriptor} for methods
 * ({@code handle(Ljava/lang/String;)V}) and {@code name:descriptor} for fields ({@code hits:J}).
 */
public record Change(ChangeKind kind, String member, String note) {

    public Change(ChangeKind kind, String member) {
        this(kind, member, null);
    }

    @Override
    public String toString() {
        return kind + " " + member + (note == null ? "" : " (" + note + ")");
    }
}
