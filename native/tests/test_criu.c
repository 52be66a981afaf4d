/* Tests of how CRIU's output is read: statistics, versions, known failures, the gate. */
#define _GNU_SOURCE
#include "test.h"
#include "criu.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copied from a real `criu dump --display-stats` of a JVM on this project's machine. */
static const char DUMP_STATS[] =
    "Displaying dump stats:\n"
    "Freezing time: 1488 us\n"
    "Frozen time: 31567 us\n"
    "Memory dump time: 14649 us\n"
    "Memory write time: 11619 us\n"
    "IRMAP resolve time: 0 us\n"
    "Memory pages scanned: 9043 (0x2353)\n"
    "Memory pages skipped from parent: 0 (0x0)\n"
    "Memory pages written: 8823 (0x2277)\n"
    "Lazy memory pages: 0 (0x0)\n";

static const char RESTORE_STATS[] =
    "Displaying restore stats:\n"
    "Pages compared: 0 (0x0)\n"
    "Pages skipped COW: 0 (0x0)\n"
    "Pages restored: 8823 (0x2277)\n"
    "Restore time: 22875 us\n"
    "Forking time: 0 us\n";

static void readsFrozenTimeAndPagesFromDumpStats(void)
{
    struct criu_stats s;
    criu_parse_stats(DUMP_STATS, &s);
    CHECK(s.have_frozen);
    CHECK(s.frozen_us == 31567);
    CHECK(s.freezing_us == 1488);
    CHECK(s.memdump_us == 14649);
    CHECK(s.pages_scanned == 9043);
    CHECK(s.pages_written == 8823);
    CHECK(s.pages_skipped_parent == 0);
    CHECK(!s.have_restore);
}

static void readsRestoreTimeFromRestoreStats(void)
{
    struct criu_stats s;
    criu_parse_stats(RESTORE_STATS, &s);
    CHECK(s.have_restore && s.restore_us == 22875);
    CHECK(s.pages_restored == 8823);
    CHECK(!s.have_frozen);
    criu_parse_stats(NULL, &s);
    CHECK(!s.have_restore && !s.have_frozen);
}

static void readsTheVersionLine(void)
{
    int major = 0, minor = 0;
    CHECK(criu_parse_version("Version: 4.2.1\n", &major, &minor) == 0);
    CHECK(major == 4 && minor == 2);
    CHECK(criu_parse_version("Version: 3.17\nGitID: x\n", &major, &minor) == 0 && major == 3 && minor == 17);
    CHECK(criu_parse_version("bash: criu: not found", &major, &minor) == -1);
    CHECK(criu_parse_version(NULL, &major, &minor) == -1);
}

static void explainsAnEstablishedTcpConnection(void)
{
    const char *log = "(00.1) Error (criu/sk-inet.c:199): inet: Connected TCP socket, consider using "
                      "--tcp-established option.\n(00.2) Error (criu/cr-dump.c:2111): Dumping FAILED.\n";
    const char *advice = criu_explain(log);
    CHECK(advice != NULL && strstr(advice, "--tcp-established") != NULL);
    char first[200];
    criu_first_error(log, first, sizeof first);
    CHECK(strncmp(first, "Error (criu/sk-inet.c:199)", 26) == 0);
    CHECK(strchr(first, '\n') == NULL);
}

static void explainsAMissingPerfDataFile(void)
{
    const char *log = "10530: Error (criu/files-reg.c:2267): Can't open file tmp/hsperfdata_root/10530: "
                      "No such file or directory\n";
    const char *advice = criu_explain(log);
    CHECK(advice != NULL && strstr(advice, "-XX:+PerfDisableSharedMem") != NULL);
}

static void explainsAMissingIptablesForTheTcpLock(void)
{
    const char *log = "sh: 1: iptables: not found\nError (criu/util.c:657): exited, status=127\n"
                      "Error (criu/netfilter.c:105): Iptables configuration failed\n";
    const char *advice = criu_explain(log);
    CHECK(advice != NULL && strstr(advice, "LP4J_CRIU_NETWORK_LOCK=nftables") != NULL);
}

static void saysNothingAboutAnUnknownFailure(void)
{
    CHECK(criu_explain("Error (criu/x.c:1): something new\n") == NULL);
    CHECK(criu_explain(NULL) == NULL);
}

static void firstErrorSkipsTheHarmlessRlimitLine(void)
{
    const char *log = "Error (criu/util.c:1534): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted\n"
                      "Warn  (criu/x.c:1): fine\n"
                      "Error (criu/cr-restore.c:2331): Restoring FAILED.\n";
    char first[200];
    criu_first_error(log, first, sizeof first);
    CHECK(strcmp(first, "Error (criu/cr-restore.c:2331): Restoring FAILED.") == 0);
    criu_first_error("all good\n", first, sizeof first);
    CHECK(first[0] == '\0');
    char tiny[8];
    criu_first_error(log + 101, tiny, sizeof tiny); /* truncates, still terminated */
    CHECK(strlen(tiny) < sizeof tiny);
}

static void gateSaysHowToInstallAMissingCriu(void)
{
    setenv("LP4J_CRIU", "/nonexistent/criu", 1);
    char why[1024] = "";
    enum criu_gate g = criu_gate(why, sizeof why);
    unsetenv("LP4J_CRIU");
    if (geteuid() != 0) {
        CHECK(g == CRIU_NOT_ROOT && strstr(why, "root") != NULL);
        return;
    }
    CHECK(g == CRIU_NOT_INSTALLED);
    CHECK(strstr(why, "install-criu.sh") != NULL);
    CHECK(strstr(why, "/nonexistent/criu") != NULL);
}

const struct test criu_tests[] = {
    T(readsFrozenTimeAndPagesFromDumpStats),
    T(readsRestoreTimeFromRestoreStats),
    T(readsTheVersionLine),
    T(explainsAnEstablishedTcpConnection),
    T(explainsAMissingPerfDataFile),
    T(explainsAMissingIptablesForTheTcpLock),
    T(saysNothingAboutAnUnknownFailure),
    T(firstErrorSkipsTheHarmlessRlimitLine),
    T(gateSaysHowToInstallAMissingCriu),
    {NULL, NULL},
};
