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
 */
public record RewriteContext(String host, String impl, boolean hostIsInterface, PatchShape shape) {

    public boolean rewritingImpl() {
        return impl != null;
    }
}
