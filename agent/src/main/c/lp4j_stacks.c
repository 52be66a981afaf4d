/*
 * lp4j_stacks: whether another thread's stack holds a frame of given classes, read with JVMTI
 * GetStackTrace. For a thread other than the caller, HotSpot (JDK 15+) runs GetStackTrace as a
 * handshake with that one thread: no global safepoint (checked with -Xlog:safepoint,handshake on
 * JDK 17 and 25). Thread.getStackTrace() is a ThreadDump safepoint on JDK 17, which is why the
 * agent uses this library there. Loaded with System.load; no -agentpath, no capabilities.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdlib.h>

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

/* Returns 1 if a frame's declaring class is one of `classes`, 0 if none is (or the thread has
 * ended), and -(JVMTI error) if the stack could not be read. */
JNIEXPORT jint JNICALL Java_io_livepatch4j_agent_tooling_JvmtiStacks_hasFrameOf(JNIEnv *env, jclass self,
                                                                                jthread thread,
                                                                                jobjectArray classes) {
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
    err = (*jvmti)->GetStackTrace(jvmti, thread, 0, FIRST_TRY, frames, &count);
    if (err == JVMTI_ERROR_THREAD_NOT_ALIVE) {
        return 0;
    }
    if (err != JVMTI_ERROR_NONE) {
        return -(jint)err;
    }
    if (count == FIRST_TRY) {
        /* A deep stack: the outermost frames matter most here, so read all of them. */
        jint depth = 0;
        err = (*jvmti)->GetFrameCount(jvmti, thread, &depth);
        if (err != JVMTI_ERROR_NONE) {
            return err == JVMTI_ERROR_THREAD_NOT_ALIVE ? 0 : -(jint)err;
        }
        frames = malloc(sizeof(jvmtiFrameInfo) * (size_t)(depth + 16));
        if (frames == NULL) {
            return -(jint)JVMTI_ERROR_OUT_OF_MEMORY;
        }
        err = (*jvmti)->GetStackTrace(jvmti, thread, 0, depth + 16, frames, &count);
        if (err != JVMTI_ERROR_NONE) {
            free(frames);
            return err == JVMTI_ERROR_THREAD_NOT_ALIVE ? 0 : -(jint)err;
        }
    }
    n = (*env)->GetArrayLength(env, classes);
    for (i = 0; i < count && !found; i++) {
        jclass declaring = NULL;
        if ((*jvmti)->GetMethodDeclaringClass(jvmti, frames[i].method, &declaring) != JVMTI_ERROR_NONE) {
            continue;
        }
        for (k = 0; k < n && !found; k++) {
            jobject c = (*env)->GetObjectArrayElement(env, classes, k);
            if ((*env)->IsSameObject(env, c, declaring)) {
                found = 1;
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
