/* Runs every C test and prints "N passed, N failed"; exits non-zero on any failure. */
#define _GNU_SOURCE
#include "test.h"

#include <stdlib.h>
#include <string.h>

const char *t_build_dir = "build";
static int current_failed;

void t_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "    %s:%d: CHECK(%s) failed\n", file, line, what);
    current_failed = 1;
}

const char *t_tmpdir(void)
{
    static char path[64];
    strcpy(path, "/tmp/lp4j-native-test-XXXXXX");
    if (mkdtemp(path) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    return path;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        t_build_dir = argv[1];
    const struct test *suites[] = {util_tests, spawn_tests, criu_tests, create_tests, cli_tests};
    int passed = 0, failed = 0;
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (const struct test *t = suites[s]; t->name != NULL; t++) {
            current_failed = 0;
            t->fn();
            printf("%s %s\n", current_failed ? "FAIL" : "ok  ", t->name);
            fflush(stdout);
            if (current_failed)
                failed++;
            else
                passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
