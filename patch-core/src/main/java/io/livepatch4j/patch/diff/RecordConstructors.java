package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * A record's fields are trusted finals: nothing but the record's own {@code <init>} may write them,
 * and the JDK grants no setter for them, not even to the record's own lookup. A patched constructor
 * body runs outside {@code <init>}, so a record constructor that writes the record's fields can never
 * be patched, and must never dispatch: it keeps no prologue, and its implementation method is a stub.
 */
public final class RecordConstructors {

    private RecordConstructors() {}

    /** The first field of the record that {@code ctor} writes after its super(...)/this(...) call, or null. */
    public static String writtenField(ClassNode record, MethodNode ctor) {
        if ((record.access & Opcodes.ACC_RECORD) == 0 || !"<init>".equals(ctor.name)) {
            return null;
        }
        int split = ConstructorSplit.initializingCall(record.name, ctor);
        for (int i = Math.max(split, 0) + 1; i < ctor.instructions.size(); i++) {
            if (ctor.instructions.get(i) instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTFIELD
                && fi.owner.equals(record.name)) {
                return fi.name;
            }
        }
        return null;
    }
}
