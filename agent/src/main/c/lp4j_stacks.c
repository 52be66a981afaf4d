/*
 * lp4j_stacks: whether another thread's stack holds a frame of given methods, read with JVMTI
 * GetStackTrace. For a thread other than the caller, HotSpot (JDK 15+) runs GetStackTrace as a
 * handshake with that one thread: no global safepoint (checked with -Xlog:safepoint,handshake on
 * JDK 17 and 25). Thread.getStackTrace() is a ThreadDump safepoint on JDK 17, which is why the
 * agent uses this library there. Loaded with System.load; no -agentpath, no capabilities.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_TRY 256

static jvmtiEnv *jvmti = NULL;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK) {
        jvmti = NULL;
    }
    return JNI_VERSION_1_8;
}

JNIEXPORT jboolean JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_available(JNIEnv *env, jclass self) {
    (void)env;
    (void)self;
    return jvmti != NULL ? JNI_TRUE : JNI_FALSE;
}

/* Whether the method (name + signature) is one of the keys of `keys`, a String[] of "name(desc)ret". */
static int listed(JNIEnv *env, jobjectArray keys, const char *name, const char *sig) {
    size_t nl = strlen(name);
    size_t sl = strlen(sig);
    jsize n = keys == NULL ? 0 : (*env)->GetArrayLength(env, keys);
    jsize k;
    int hit = 0;
    for (k = 0; k < n && !hit; k++) {
        jstring key = (jstring)(*env)->GetObjectArrayElement(env, keys, k);
        const char *utf = key == NULL ? NULL : (*env)->GetStringUTFChars(env, key, NULL);
        if (utf != NULL) {
            hit = strlen(utf) == nl + sl && strncmp(utf, name, nl) == 0 && strcmp(utf + nl, sig) == 0;
            (*env)->ReleaseStringUTFChars(env, key, utf);
        }
        if (key != NULL) {
            (*env)->DeleteLocalRef(env, key);
        }
    }
    return hit;
}

/* Reads the whole stack of `thread` into *frames (first, or a malloc'd array the caller frees when it
 * is not first) and its depth into *count. Returns JVMTI_ERROR_NONE, or the error. */
static jvmtiError read_stack(jthread thread, jvmtiFrameInfo *first, jvmtiFrameInfo **frames, jint *count) {
    jvmtiError err;
    jint room = FIRST_TRY;
    *frames = first;
    *count = 0;
    err = (*jvmti)->GetStackTrace(jvmti, thread, 0, FIRST_TRY, first, count);
    if (err != JVMTI_ERROR_NONE) {
        return err;
    }
    /* A deep stack: the outermost frames matter most here, so read all of them. The stack can grow
     * between two reads (each is its own handshake), so read again with more room until a read
     * comes back with room to spare. */
    while (*count == room) {
        jint depth = 0;
        jvmtiFrameInfo *bigger;
        err = (*jvmti)->GetFrameCount(jvmti, thread, &depth);
        if (err != JVMTI_ERROR_NONE) {
            break;
        }
        if (room > (1 << 24)) {
            err = JVMTI_ERROR_OUT_OF_MEMORY;
            break;
        }
        room = (depth > room ? depth : room) * 2 + 256;
        bigger = malloc(sizeof(jvmtiFrameInfo) * (size_t)room);
        if (bigger == NULL) {
            err = JVMTI_ERROR_OUT_OF_MEMORY;
            break;
        }
        if (*frames != first) {
            free(*frames);
        }
        *frames = bigger;
        err = (*jvmti)->GetStackTrace(jvmti, thread, 0, room, *frames, count);
        if (err != JVMTI_ERROR_NONE) {
            break;
        }
    }
    if (err != JVMTI_ERROR_NONE && *frames != first) {
        free(*frames);
        *frames = first;
    }
    return err;
}

/* Returns 1 if a frame's method is one of `methods[k]` of `classes[k]`, 0 if none is (or the thread
 * has ended), and -(JVMTI error) if the stack could not be read. */
JNIEXPORT jint JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_hasFrameOf(JNIEnv *env, jclass self,
                                                                                jthread thread,
                                                                                jobjectArray classes,
                                                                                jobjectArray methods) {
    jvmtiFrameInfo first[FIRST_TRY];
    jvmtiFrameInfo *frames = first;
    jint count = 0;
    jint found = 0;
    jvmtiError err;
    jsize n;
    jint i;
    jsize k;

    (void)self;
    if (jvmti == NULL) {
        return -(jint)JVMTI_ERROR_NOT_AVAILABLE;
    }
    err = read_stack(thread, first, &frames, &count);
    if (err == JVMTI_ERROR_THREAD_NOT_ALIVE) {
        return 0;
    }
    if (err != JVMTI_ERROR_NONE) {
        return -(jint)err;
    }
    n = (*env)->GetArrayLength(env, classes);
    for (i = 0; i < count && found == 0; i++) {
        jclass declaring = NULL;
        if ((*jvmti)->GetMethodDeclaringClass(jvmti, frames[i].method, &declaring) != JVMTI_ERROR_NONE) {
            continue;
        }
        for (k = 0; k < n && found == 0; k++) {
            jobject c = (*env)->GetObjectArrayElement(env, classes, k);
            if ((*env)->IsSameObject(env, c, declaring)) {
                char *name = NULL;
                char *sig = NULL;
                if ((*jvmti)->GetMethodName(jvmti, frames[i].method, &name, &sig, NULL) != JVMTI_ERROR_NONE) {
                    found = 1; /* cannot tell which method: count it, so the transition waits */
                } else {
                    jobjectArray keys = (jobjectArray)(*env)->GetObjectArrayElement(env, methods, k);
                    found = listed(env, keys, name, sig);
                    if (keys != NULL) {
                        (*env)->DeleteLocalRef(env, keys);
                    }
                    (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
                    (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
                }
            }
            (*env)->DeleteLocalRef(env, c);
        }
        (*env)->DeleteLocalRef(env, declaring);
    }
    if (frames != first) {
        free(frames);
    }
    return found;
}

/* The declaring class of every frame of `thread`, top first (an empty array if the thread has
 * ended; a null element where JVMTI could not name it), or null if the stack could not be read. */
JNIEXPORT jobjectArray JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_frameClasses(JNIEnv *env, jclass self,
                                                                                          jthread thread) {
    jvmtiFrameInfo first[FIRST_TRY];
    jvmtiFrameInfo *frames = first;
    jint count = 0;
    jvmtiError err;
    jobjectArray out;
    jclass classClass;
    jint i;

    (void)self;
    if (jvmti == NULL) {
        return NULL;
    }
    err = read_stack(thread, first, &frames, &count);
    if (err == JVMTI_ERROR_THREAD_NOT_ALIVE) {
        count = 0;
    } else if (err != JVMTI_ERROR_NONE) {
        return NULL;
    }
    classClass = (*env)->FindClass(env, "java/lang/Class");
    out = classClass == NULL ? NULL : (*env)->NewObjectArray(env, count, classClass, NULL);
    for (i = 0; out != NULL && i < count; i++) {
        jclass declaring = NULL;
        if ((*jvmti)->GetMethodDeclaringClass(jvmti, frames[i].method, &declaring) == JVMTI_ERROR_NONE) {
            (*env)->SetObjectArrayElement(env, out, i, declaring);
            (*env)->DeleteLocalRef(env, declaring);
        }
    }
    if (frames != first) {
        free(frames);
    }
    return out;
}

/*
 * The class's JVMTI status bits (JVMTI_CLASS_STATUS_*: verified 1, prepared 2, initialized 4,
 * error 8), or -1 if JVMTI is not there. A read of the class's state: no safepoint, no capability.
 */
JNIEXPORT jint JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_classStatus0(JNIEnv *env, jclass self, jclass klass) {
    jint status = 0;
    (void)env;
    (void)self;
    if (jvmti == NULL || klass == NULL || (*jvmti)->GetClassStatus(jvmti, klass, &status) != JVMTI_ERROR_NONE) {
        return -1;
    }
    return status;
}

/*
 * Defines a class a patch adds in `loader`, as the loader's own defineClass would, without linking
 * it (it links on first use, as the loader's other classes do) and without the agent reflecting on
 * ClassLoader.defineClass, which would need java.lang opened to the agent's module: the system class
 * loader's unnamed module, the application's. `name` is the internal name (a/b/C). On failure the
 * JVM's exception (a LinkageError, ClassFormatError, ...) is pending and NULL is returned.
 */
JNIEXPORT jclass JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_defineClass0(JNIEnv *env, jclass self,
                                                                                     jstring name, jobject loader,
                                                                                     jbyteArray bytes) {
    const char *utf;
    jbyte *buf;
    jsize len;
    jclass defined;
    (void)self;
    if (name == NULL || bytes == NULL) {
        return NULL;
    }
    utf = (*env)->GetStringUTFChars(env, name, NULL);
    if (utf == NULL) {
        return NULL;
    }
    len = (*env)->GetArrayLength(env, bytes);
    buf = (*env)->GetByteArrayElements(env, bytes, NULL);
    if (buf == NULL) {
        (*env)->ReleaseStringUTFChars(env, name, utf);
        return NULL;
    }
    defined = (*env)->DefineClass(env, utf, loader, buf, len);
    (*env)->ReleaseByteArrayElements(env, bytes, buf, JNI_ABORT);
    (*env)->ReleaseStringUTFChars(env, name, utf);
    return defined;
}

/*
 * Calls a method of a JDK class that java.base does not export (the thread containers of
 * jdk.internal.vm, which list virtual threads): JNI calls are not checked against module
 * boundaries, so no module is exported to the agent's module, which is the application's. A static
 * method if `target` is NULL. Returns the method's object result; an exception it throws is pending.
 */
JNIEXPORT jobject JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_callInternal0(JNIEnv *env, jclass self,
                                                                                       jobject target, jclass owner,
                                                                                       jstring name, jstring desc) {
    const char *n;
    const char *d;
    jmethodID m;
    jobject result = NULL;
    (void)self;
    if (owner == NULL || name == NULL || desc == NULL) {
        return NULL;
    }
    n = (*env)->GetStringUTFChars(env, name, NULL);
    d = n == NULL ? NULL : (*env)->GetStringUTFChars(env, desc, NULL);
    if (n != NULL && d != NULL) {
        m = target == NULL ? (*env)->GetStaticMethodID(env, owner, n, d) : (*env)->GetMethodID(env, owner, n, d);
        if (m != NULL) {
            result = target == NULL ? (*env)->CallStaticObjectMethod(env, owner, m)
                                    : (*env)->CallObjectMethod(env, target, m);
        }
    }
    if (d != NULL) {
        (*env)->ReleaseStringUTFChars(env, desc, d);
    }
    if (n != NULL) {
        (*env)->ReleaseStringUTFChars(env, name, n);
    }
    return result;
}
