package io.livepatch4j.patch.diff;

/**
 * Why one change cannot be live-patched, in words for the person who made it.
 *
 * @param className binary name, {@code com.acme.Foo}
 * @param member    the method ({@code handle(Ljava/lang/String;)V}) or field ({@code hits:J}); null for
 *                  the class as a whole
 * @param reason    what changed and why a running JVM cannot take it
 * @param advice    what to do instead
 */
public record Refusal(String className, String member, String reason, String advice) {

    /** One line: {@code com.acme.Foo#hits:J: the field's type changed ...; keep ...}. */
    public String message() {
        return className + (member == null ? "" : "#" + member) + ": " + reason + "; " + advice;
    }

    @Override
    public String toString() {
        return message();
    }
}
