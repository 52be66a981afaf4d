package io.livepatch4j.patch.rewrite;

/**
 * What every rewrite visitor needs to know about the class being rewritten.
 *
 * @param host      internal name of the loaded class whose version is rewritten; for a class the
 *                  patch adds, its own name
 * @param impl      internal name of the implementation class, or null when rewriting a class the
 *                  patch adds (it keeps its own methods)
 * @param hostIsInterface whether {@code host} is an interface
 * @param shape     the members the patch adds, across all classes it touches
 * @param resolver  where referenced members are declared (for protected access); may be null
 */
public record RewriteContext(String host, String impl, boolean hostIsInterface, PatchShape shape,
                             MemberResolver resolver) {

    public RewriteContext(String host, String impl, boolean hostIsInterface, PatchShape shape) {
        this(host, impl, hostIsInterface, shape, null);
    }

    public boolean rewritingImpl() {
        return impl != null;
    }
}
