package io.livepatch4j.patch.build;

import io.livepatch4j.patch.diff.Refusal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A stable short code and a heading for each kind of refusal, so that a report groups refusals by
 * reason and a script can count them (lp4j build --json). Codes are read from the refusal's text:
 * a reason the table does not know is "other", under its own text. Codes never change meaning; new
 * ones are added at the end of docs/cli.md's table.
 */
public final class ReasonCodes {

    /** A code, the heading a report prints over its refusals, and the pattern that finds it. */
    public record Reason(String code, String heading, Pattern pattern) {
    }

    private static final List<Reason> REASONS = List.of(
        r("not-same-program", "OLD and NEW are not two builds of one program", "not two builds of one program"),
        r("unreadable-class", "a class file cannot be read", "class file cannot be read|the new class file is "),
        r("hierarchy-changed", "a superclass, interface or permits list changed", "its superclass changed|the interfaces it implements changed|sealed 'permits'"),
        r("class-modifiers-changed", "class modifiers changed", "its class modifiers changed"),
        r("field-removed", "a non-private field removed", "field was removed"),
        r("field-changed", "a field's type or modifiers changed", "the field's type changed|the field's modifiers changed"),
        r("final-field-added", "a final instance field added", "a final instance field was added|synthetic final field"),
        r("enum-constant-added", "an enum constant or computed interface field added", "an enum constant was added|interface is initialized was added"),
        r("static-init-changed", "a static initializer changed, added or removed", "static initializer"),
        r("constructor-added", "a constructor added", "a constructor was added"),
        r("constructor-prefix-changed", "a constructor's super(...)/this(...) part changed", "super\\(\\.\\.\\.\\)/this\\(\\.\\.\\.\\)"),
        r("record-constructor-changed", "a record's constructor changed", "constructor of record"),
        r("method-removed", "a non-private method removed", "method was removed"),
        r("method-modifiers-changed", "a method's modifiers changed", "the method's modifiers changed"),
        r("overridable-method-added", "an overridable method added", "instance method was added|an override of"),
        r("abstract-method-added", "an abstract, native or synchronized method added", "an abstract or native method was added|a synchronized method was added"),
        r("member-through-subclass", "an added member used through a subclass", "through .* \\(javac names the class"),
        r("private-constructor-across-nest", "a private constructor called across a new nest member", "private constructor"),
        r("nested-record-added", "a record nested in a loaded class added", "a record nested in"),
        r("serializable-lambda", "a serializable lambda in a patched class", "serializ"),
        r("switch-map-access-tag", "a switch map that is also an access constructor's tag", "also as the tag type of a synthetic access constructor"),
        r("missing-member", "new code uses a member the JVM will not have", "the JVM would throw NoSuch(Method|Field)Error|which the new build adds to"),
        r("missing-class", "new code uses a class the JVM will not have", "NoClassDefFoundError"),
        r("class-version", "class file newer than the JVM", "class file (version|is newer)|newer than"),
        r("verification", "the bytecode does not verify", "verif"),
        r("added-classes-only", "only added classes selected", "changes no class that is already loaded"),
        r("added-class-supertype", "an added class extends or implements a type the running JVM has otherwise",
            "the class the patch adds (extends|implements) .*running JVM"),
        r("private-access-outside-nest", "new code uses a private member of a class outside its nest and the patch",
            "nor changed or added by the patch"));

    private ReasonCodes() {}

    private static Reason r(String code, String heading, String regex) {
        return new Reason(code, heading, Pattern.compile(regex));
    }

    /** The reason a refusal is an instance of; "other" with its own text when none matches. */
    public static Reason of(Refusal refusal) {
        for (Reason r : REASONS) {
            if (r.pattern().matcher(refusal.reason()).find()) {
                return r;
            }
        }
        return new Reason("other", refusal.reason(), null);
    }

    /** Every known code, in the documented order. */
    public static List<Reason> all() {
        return REASONS;
    }
}
