package io.livepatch4j.quiescence;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static, no-argument method of a class the fix adds as a callback of the patch built from
 * it, run by the agent at one point of the patch's life (Linux livepatch's callbacks). {@code lp4j
 * build} finds it and the patch carries it; without the agent it is an ordinary method.
 *
 * <ul>
 *   <li>{@link Phase#PRE_APPLY}: before anything of the patch takes effect, on the applying thread,
 *       running the patch's code (calls it makes reach the new generation). Throwing <b>vetoes the
 *       patch</b>: it is refused with the exception's message, and the JVM runs as before.</li>
 *   <li>{@link Phase#POST_APPLY}: once every thread runs the patch's generation (the transition
 *       completed), on the agent's callback thread.</li>
 *   <li>{@link Phase#PRE_ROLLBACK}: when a rollback that removes the patch starts, on the thread that
 *       asked for it, running the patch's code; it cannot stop the rollback.</li>
 *   <li>{@link Phase#POST_ROLLBACK}: once the rollback completed, on the agent's callback thread,
 *       running the code the rollback went back to.</li>
 * </ul>
 * A callback other than PRE_APPLY that throws is logged; the patch's life goes on. See
 * docs/patch-format.md, "Transformers and callbacks".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PatchCallback {

    Phase value();

    /** When a callback runs. */
    enum Phase { PRE_APPLY, POST_APPLY, PRE_ROLLBACK, POST_ROLLBACK }
}
