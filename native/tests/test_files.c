/* Tests of the file rule (src/files.h) that need no other user: what an existing entry must be
 * to be reused, and that nothing is followed or blocked on. The other-user cases are in test_cli.c. */
#define _GNU_SOURCE
#include "test.h"
#include "files.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void aNewOutputIsCreatedPrivateAndAnOwnFileIsReused(void)
{
    char p[PATH_MAX], why[512];
    snprintf(p, sizeof p, "%s/out.log", t_tmpdir());
    int fd = files_open_output(p, 1, why, sizeof why);
    CHECK(fd >= 0);
    CHECK(write(fd, "one\n", 4) == 4);
    close(fd);
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
    fd = files_open_output(p, 1, why, sizeof why); /* appended to */
    CHECK(fd >= 0 && write(fd, "two\n", 4) == 4);
    close(fd);
    char *text = read_text_file(p, 64);
    CHECK(text != NULL && strcmp(text, "one\ntwo\n") == 0);
    free(text);
    fd = files_open_output(p, 0, why, sizeof why); /* truncated */
    CHECK(fd >= 0);
    close(fd);
    CHECK(stat(p, &st) == 0 && st.st_size == 0);
}

static void aLinkAHardLinkOrAFifoIsRefusedWithoutBlocking(void)
{
    const char *d = t_tmpdir();
    char target[PATH_MAX], lnk[PATH_MAX], hard[PATH_MAX], fifo[PATH_MAX], why[512];
    snprintf(target, sizeof target, "%s/target", d);
    snprintf(lnk, sizeof lnk, "%s/link", d);
    snprintf(hard, sizeof hard, "%s/hard", d);
    snprintf(fifo, sizeof fifo, "%s/fifo", d);
    CHECK(write_text_file(target, "kept") == 0);
    CHECK(symlink(target, lnk) == 0 && link(target, hard) == 0 && mkfifo(fifo, 0600) == 0);
    CHECK(files_open_output(lnk, 0, why, sizeof why) == FILES_REFUSED);
    CHECK(strstr(why, "is a symbolic link") != NULL);
    CHECK(files_open_output(hard, 0, why, sizeof why) == FILES_REFUSED);
    CHECK(strstr(why, "more than one name") != NULL);
    CHECK(files_open_output(fifo, 1, why, sizeof why) == FILES_REFUSED); /* returns at once: no reader */
    char *text = read_text_file(target, 64);
    CHECK(text != NULL && strcmp(text, "kept") == 0);
    free(text);
}

static void devNullIsAnOutputAndALinkedFolderOfOursIsFollowed(void)
{
    char why[512];
    int fd = files_open_output("/dev/null", 0, why, sizeof why);
    CHECK(fd >= 0);
    close(fd);
    const char *d = t_tmpdir();
    char real[PATH_MAX], via[PATH_MAX], canon[PATH_MAX], out[PATH_MAX];
    snprintf(real, sizeof real, "%s/real", d);
    snprintf(via, sizeof via, "%s/via", d);
    CHECK(mkdir(real, 0700) == 0 && symlink("real", via) == 0);
    fd = files_open_trusted_dir(via, canon, sizeof canon, why, sizeof why);
    CHECK(fd >= 0); /* a link of ours (or root's) on the way is fine */
    close(fd);
    CHECK(strcmp(canon + strlen(canon) - 5, "/real") == 0);
    snprintf(out, sizeof out, "%s/via/out", d);
    fd = files_open_output(out, 0, why, sizeof why);
    CHECK(fd >= 0);
    close(fd);
}

static void theOnlyLinkACheckpointMayHoldIsToAPreDump(void)
{
    CHECK(files_parent_target_ok("pre-1"));
    CHECK(files_parent_target_ok("../pre-16"));
    CHECK(!files_parent_target_ok("pre-"));
    CHECK(!files_parent_target_ok("../../pre-1"));
    CHECK(!files_parent_target_ok("/etc/pre-1"));
    CHECK(!files_parent_target_ok("pre-1/x"));
}

const struct test files_tests[] = {
    T(aNewOutputIsCreatedPrivateAndAnOwnFileIsReused),
    T(aLinkAHardLinkOrAFifoIsRefusedWithoutBlocking),
    T(devNullIsAnOutputAndALinkedFolderOfOursIsFollowed),
    T(theOnlyLinkACheckpointMayHoldIsToAPreDump),
    {NULL, NULL},
};
