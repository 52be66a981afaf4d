/* Runs every C test and prints "N passed, N failed"; exits non-zero on any failure. */
#define _GNU_SOURCE
#include "test.h"

#include <stdlib.h>
#include <string.h>

const char *t_build_dir = "build";
const char *t_tests_dir = "tests";
static int current_failed;
static char made[256][64];
static int nmade;

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
    if (nmade < 256)
        strcpy(made[nmade++], path);
    return path;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        t_build_dir = argv[1];
    if (argc > 2)
        t_tests_dir = argv[2];
    const struct test *suites[] = {util_tests, files_tests, spawn_tests, criu_tests, create_tests, cli_tests};
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
    for (int i = 0; i < nmade; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%.63s'", made[i]);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", made[i]);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
