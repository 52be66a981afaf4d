package io.livepatch4j.it.app;

/**
 * A class with a private member that no patch of {@link Greeter} may read: outside Greeter's nest,
 * and not carried by the patch (PrivateAccessRuleIT, issue 14 item 9).
 */
public class Vault {

    private static String code = "vault-secret";

    private Vault() {
    }

    /** Keeps javac from warning that the field is unused. */
    public static int codeLength() {
        return code.length();
    }
}
