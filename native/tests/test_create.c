/* Tests that each process-creation method of spawn-bench really starts the program. */
#define _GNU_SOURCE
#include "test.h"
#include "create.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

static const char *trivial(void)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/lp4j-trivial", t_build_dir);
    return path;
}

static void everyMethodStartsAndReapsTheTrivialProgram(void)
{
    for (int m = 0; m < CREATE_METHODS; m++) {
        int64_t ns = create_and_reap((enum create_method)m, trivial());
        if (ns <= 0)
            fprintf(stderr, "    %s: %lld\n", create_method_name((enum create_method)m), (long long)ns);
        CHECK(ns > 0);
    }
}

static void everyMethodSeesAFailingChild(void)
{
    for (int m = 0; m < CREATE_METHODS; m++)
        CHECK(create_and_reap((enum create_method)m, "/bin/false") == -EIO);
}

static void aMissingProgramIsAnError(void)
{
    /* posix_spawn reports the exec error itself; the others see the child's exit 127. */
    CHECK(create_and_reap(CREATE_POSIX_SPAWN, "/nonexistent/x") == -ENOENT);
    CHECK(create_and_reap(CREATE_FORK_EXEC, "/nonexistent/x") == -EIO);
    CHECK(create_and_reap(CREATE_VFORK_EXEC, "/nonexistent/x") == -EIO);
    CHECK(create_and_reap(CREATE_CLONE_VFORK, "/nonexistent/x") == -EIO);
}

static void methodsHaveTheNamesOfThePaper(void)
{
    CHECK(strcmp(create_method_name(CREATE_FORK_EXEC), "fork+exec") == 0);
    CHECK(strcmp(create_method_name(CREATE_POSIX_SPAWN), "posix_spawn") == 0);
    CHECK(strcmp(create_method_name(CREATE_METHODS), "?") == 0);
}

const struct test create_tests[] = {
    T(everyMethodStartsAndReapsTheTrivialProgram),
    T(everyMethodSeesAFailingChild),
    T(aMissingProgramIsAnError),
    T(methodsHaveTheNamesOfThePaper),
    {NULL, NULL},
};
