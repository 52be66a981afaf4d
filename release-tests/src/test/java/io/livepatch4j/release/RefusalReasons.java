package io.livepatch4j.release;

import io.livepatch4j.patch.diff.Refusal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Sorts lp4j's refusal messages into a few short reason classes, so that a table over a corpus of
 * thousands of classes says what blocks patching most often. The rules match the wording of
 * patch-core's messages (docs/patch-format.md, "Refused"); a message no rule knows is kept whole
 * under "other: ..." rather than hidden, and ReasonsTest pins the known wordings.
 */
public final class RefusalReasons {

    private record Rule(Pattern pattern, String reason) {}

    /** First match wins; the more specific wordings come first. */
    private static final List<Rule> RULES = List.of(
        rule("predates stack map frames", "class file older than Java 7 (no stack map frames)"),
        rule("the class the patch adds (extends|implements) .*running JVM", "added class's supertype is otherwise in the running JVM"),
        rule("class file .*newer|newer than the JVM", "class file newer than the JVM"),
        rule("fail(s|ed)? verification|verif(y|ier)", "bytecode fails verification"),
        rule("the method the patch adds overrides|an override of .* added", "added override of an inherited method"),
        rule("instance method was added", "added overridable method"),
        rule("calls super\\(\\.\\.\\.\\) of a constructor the patch adds", "super(...) to a constructor the patch adds"),
        rule("calls this\\(\\.\\.\\.\\) of a constructor the patch adds", "this(...) to a constructor the patch adds"),
        rule("interface's static initializer changed", "interface initializer changed"),
        rule("its new code uses .*(refused|left out)", "uses a change that is refused or left out"),
        rule("also as the tag type of a synthetic access constructor", "switch map that is also an access tag"),
        rule("became static|became an instance", "static-ness changed"),
        rule("its kind changed", "class kind changed"),
        rule("abstract or native method was added|synchronized method was added", "added abstract/native method"),
        rule("constructor was added", "constructor added"),
        rule("super\\(\\.\\.\\.\\)/this\\(\\.\\.\\.\\) call", "super(...) arguments changed"),
        rule("static initializer (changed|was added|was removed)", "static initializer changed"),
        rule("final instance field was added", "final instance field added"),
        rule("synthetic final field", "synthetic final field added (captured variable)"),
        rule("field's type changed", "field type changed"),
        rule("field's modifiers changed", "field modifiers changed"),
        rule("field was removed", "field removed"),
        rule("method's modifiers changed", "method modifiers changed"),
        rule("method was removed", "removed method"),
        rule("class modifiers changed", "class modifiers changed"),
        rule("superclass changed|interfaces it implements changed|hierarchy", "hierarchy changed"),
        rule("permits", "sealed permits changed"),
        rule("enum constant was added", "enum constant added"),
        rule("interface is initialized|interface field", "computed interface field added"),
        rule("record", "record constructor changed"),
        rule("serializable lambda|serializ", "serializable lambda in patched code"),
        rule("which the new build adds to .*a class left out", "uses a member added to a class left out"),
        rule("through a subclass|reached through", "added member used through a subclass"),
        rule("nest", "private access across a new nest member"),
        rule("cannot be read", "class file unreadable"),
        rule("not two builds of one program", "not two builds of one program"),
        rule("changes no class that is already loaded", "only added classes selected"));

    private RefusalReasons() {}

    private static Rule rule(String regex, String reason) {
        return new Rule(Pattern.compile(regex), reason);
    }

    /** The short reason class of one refusal. */
    public static String of(Refusal refusal) {
        return of(refusal.reason());
    }

    public static String of(String reason) {
        for (Rule r : RULES) {
            if (r.pattern().matcher(reason).find()) {
                return r.reason();
            }
        }
        String first = reason.length() > 60 ? reason.substring(0, 60) + "..." : reason;
        return "other: " + first;
    }
}
