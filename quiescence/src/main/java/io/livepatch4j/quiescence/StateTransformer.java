package io.livepatch4j.quiescence;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static, no-argument method of a class the fix adds as a state transformer of the patch
 * built from it (Erlang's {@code code_change}, JVolve's class transformers): it migrates static state
 * that the old code built to the form the new code needs. It runs once when the patch is applied,
 * after the patch's static initializers and before any other thread can run the new generation, on
 * the applying thread, running the new code (its reads and writes of fields the patch adds reach
 * the new generation's storage). Throwing refuses the patch: nothing is published, and what it
 * changed before it threw stays.
 *
 * <p>With {@code reverse = true} it is the reverse, run when a rollback removes the patch, before
 * the rollback takes effect, running the patch's code. A patch without a reverse leaves the state as
 * its code left it. The state of objects that existed before the patch is migrated per field, by the
 * initializers of the fields the patch adds (docs/patch-format.md, "Shadow fields"); see
 * docs/patch-format.md, "Transformers and callbacks".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StateTransformer {

    /** The reverse transformer, run by a rollback that removes the patch. */
    boolean reverse() default false;
}
