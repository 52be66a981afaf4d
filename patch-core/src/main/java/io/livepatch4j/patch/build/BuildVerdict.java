package io.livepatch4j.patch.build;

/**
 * Whether a build's report lets a patch be written and, if not, the sentence that says why: one
 * answer for 'lp4j build' and the Maven plugin, so both refuse the same builds in the same words.
 */
public final class BuildVerdict {

    private BuildVerdict() {}

    /**
     * @param strict whether a difference the patch would not carry refuses it (lp4j build --strict)
     * @return null if the patch may be written; otherwise why not, ending in what to do
     */
    public static String refusal(PatchBuilder.Report r, boolean strict) {
        if (!r.refusals().isEmpty()) {
            long reasons = r.refusals().stream().map(f -> ReasonCodes.of(f).code()).distinct().count();
            return r.refusals().size() + " change(s) cannot be patched, for " + reasons + " reason(s) (REFUSED, "
                + "above); no patch was written. Leave those classes out with --only, or ship them with the next release";
        }
        if (r.patch() == null) {
            if (!r.notCarried().isEmpty()) {
                return "OLD and NEW differ only in what a patch cannot carry (NOT CARRIED, above): there is no code to "
                    + "patch, so no patch was written";
            }
            return r.debugOnlyClasses() > 0
                ? "OLD and NEW differ only in debug information (line numbers, local variable names) of "
                    + r.debugOnlyClasses() + " class(es) and in nothing a patch would change; no patch was written"
                : "OLD and NEW do not differ in any selected class or resource; no patch was written";
        }
        if (strict && !r.notCarried().isEmpty()) {
            return r.notCarried().size() + " difference(s) would not be carried (NOT CARRIED, above) and --strict was "
                + "given; no patch was written";
        }
        return null;
    }
}
