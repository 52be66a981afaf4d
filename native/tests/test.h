/* A minimal test harness: each test is a function that CHECKs properties; the runner prints
 * one line per test and the closing "N passed, N failed" line that CI reads. */
#ifndef LP4J_TEST_H
#define LP4J_TEST_H

#include <stdio.h>

struct test {
    const char *name;
    void (*fn)(void);
};

void t_fail(const char *file, int line, const char *what);
extern const char *t_build_dir; /* native/build, for the binaries the tests run */
extern const char *t_tests_dir; /* native/tests, for fake-criu.sh */

#define CHECK(cond)                                   \
    do {                                              \
        if (!(cond)) {                                \
            t_fail(__FILE__, __LINE__, #cond);        \
            return;                                   \
        }                                             \
    } while (0)

#define T(fn) {#fn, fn}

extern const struct test util_tests[], files_tests[], spawn_tests[], criu_tests[], create_tests[], cli_tests[];

/* Makes a fresh temporary folder (mkdtemp), removed when the run ends; returns its path in a
 * static buffer that the next call overwrites. */
const char *t_tmpdir(void);

#endif
