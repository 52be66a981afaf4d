package io.livepatch4j.patch;

/**
 * A difference between the two builds that a patch does not carry: the patched JVM goes on behaving
 * as the old build there (reflection shows the old annotations, a resource keeps its old content).
 * {@code lp4j build} lists every one, the patch keeps them in its manifest, and {@code lp4j inspect}
 * and {@code lp4j apply} print them, so nobody believes a patch carries what it does not.
 *
 * @param subject the class ({@code com.acme.Foo}) or resource ({@code com/acme/app.properties})
 * @param member  the method ({@code name + descriptor}) or field ({@code name:descriptor}); null for
 *                the class or resource as a whole
 * @param what    what differs and how the patched JVM behaves there
 * @param advice  what to do when that matters
 */
public record NotCarried(String subject, String member, String what, String advice) {

    /** One line: {@code com.acme.Foo#secret:Ljava/lang/String;: ...; ...}. */
    public String message() {
        return subject + (member == null ? "" : "#" + member) + ": " + what + "; " + advice;
    }

    @Override
    public String toString() {
        return message();
    }
}
