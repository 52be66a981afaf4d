/* Tests of the shared helpers: parsing, statistics, files and /proc. */
#define _GNU_SOURCE
#include "test.h"
#include "checkpoint.h"
#include "restore.h"
#include "stats.h"
#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void parseSizeAcceptsBinaryUnits(void)
{
    uint64_t v;
    CHECK(parse_size("0", &v) == 0 && v == 0);
    CHECK(parse_size("4096", &v) == 0 && v == 4096);
    CHECK(parse_size("512K", &v) == 0 && v == 512u << 10);
    CHECK(parse_size("64M", &v) == 0 && v == 64u << 20);
    CHECK(parse_size("64MiB", &v) == 0 && v == 64u << 20);
    CHECK(parse_size("1G", &v) == 0 && v == 1ull << 30);
    CHECK(parse_size("4g", &v) == 0 && v == 4ull << 30);
}

static void parseSizeRejectsWhatItCannotRead(void)
{
    uint64_t v = 7;
    CHECK(parse_size("", &v) != 0);
    CHECK(parse_size("M", &v) != 0);
    CHECK(parse_size("-1", &v) != 0);
    CHECK(parse_size("1.5G", &v) != 0);
    CHECK(parse_size("12X", &v) != 0);
    CHECK(parse_size("99999999999T", &v) != 0);
    CHECK(v == 7); /* untouched on error */
}

static void parseSizeListSplitsOnCommas(void)
{
    uint64_t v[4];
    CHECK(parse_size_list("0,64M,1G", v, 4) == 3);
    CHECK(v[0] == 0 && v[1] == 64u << 20 && v[2] == 1ull << 30);
    CHECK(parse_size_list("1,x", v, 4) == -1);
    CHECK(parse_size_list("1,2,3,4,5", v, 4) == -1);
}

static void parseLongEnforcesItsRange(void)
{
    long v;
    CHECK(parse_long("3", 0, 16, &v) == 0 && v == 3);
    CHECK(parse_long("17", 0, 16, &v) != 0);
    CHECK(parse_long("-1", 0, 16, &v) != 0);
    CHECK(parse_long("3x", 0, 16, &v) != 0);
    CHECK(parse_long("", 0, 16, &v) != 0);
}

static void percentileIsNearestRank(void)
{
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = 100 - i; /* unsorted on purpose */
    sort_doubles(v, 100);
    CHECK(v[0] == 1 && v[99] == 100);
    CHECK(percentile_sorted(v, 100, 50) == 50);
    CHECK(percentile_sorted(v, 100, 99) == 99);
    CHECK(percentile_sorted(v, 100, 100) == 100);
    CHECK(percentile_sorted(v, 100, 0) == 1);
    double one = 42;
    CHECK(percentile_sorted(&one, 1, 99) == 42);
    CHECK(isnan(percentile_sorted(v, 0, 50)));
    CHECK(mean(v, 100) == 50.5);
}

static void dirBytesCountsImagesOnceAndSkipsSymlinks(void)
{
    const char *d = t_tmpdir();
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/a.img", d);
    CHECK(write_text_file(p, "12345") == 0);
    snprintf(p, sizeof p, "%s/dump.log", d);
    CHECK(write_text_file(p, "not an image") == 0);
    snprintf(p, sizeof p, "%s/sub/deeper", d);
    CHECK(make_dirs(p, 0755) == 0);
    snprintf(p, sizeof p, "%s/sub/deeper/b.img", d);
    CHECK(write_text_file(p, "123") == 0);
    snprintf(p, sizeof p, "%s/parent", d);
    CHECK(symlink("sub", p) == 0); /* like a dump's link to its pre-dump */
    CHECK(dir_bytes(d, ".img") == 8);
    CHECK(dir_bytes(d, "") == 8 + 12);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    CHECK(system(cmd) == 0);
}

static void pidExistsSeesItselfButNotAReapedChild(void)
{
    char state, comm[64];
    CHECK(pid_exists(getpid(), &state, comm, sizeof comm));
    CHECK(state == 'R');
    CHECK(strncmp(comm, "test-runner", 11) == 0);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(!pid_exists(child, NULL, NULL, 0));
}

static void metaValueReadsKeyValueLines(void)
{
    const char *text = "# comment\npid=123\ntcp_established=1\npidx=9\n";
    char v[16];
    CHECK(meta_value(text, "pid", v, sizeof v) == 0 && strcmp(v, "123") == 0);
    CHECK(meta_value(text, "tcp_established", v, sizeof v) == 0 && strcmp(v, "1") == 0);
    CHECK(meta_value(text, "missing", v, sizeof v) == -1);
}

static void checkpointTidsAreTheCoreImages(void)
{
    const char *d = t_tmpdir();
    const char *names[] = {"core-12.img", "core-345.img", "pagemap-12.img", "core-x.img", "core-7.img.bak"};
    char p[PATH_MAX];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", d, names[i]);
        CHECK(write_text_file(p, "") == 0);
    }
    pid_t tids[8];
    int n = checkpoint_tids(d, tids, 8);
    CHECK(n == 2);
    CHECK((tids[0] == 12 && tids[1] == 345) || (tids[0] == 345 && tids[1] == 12));
    CHECK(checkpoint_tids("/nonexistent-lp4j", tids, 8) == -1);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    CHECK(system(cmd) == 0);
}

static void hostPortSplitsAddressesAndRefusesOptionsAndBadPorts(void)
{
    char host[64], port[8];
    CHECK(parse_host_port("10.0.0.2:27000", host, sizeof host, port, sizeof port) == 0);
    CHECK(strcmp(host, "10.0.0.2") == 0 && strcmp(port, "27000") == 0);
    CHECK(parse_host_port("[fe80::1]:9", host, sizeof host, port, sizeof port) == 0 && strcmp(host, "fe80::1") == 0);
    CHECK(parse_host_port("dst-host.example:1", host, sizeof host, port, sizeof port) == 0);
    CHECK(parse_host_port("host", host, sizeof host, port, sizeof port) != 0);           /* no port */
    CHECK(parse_host_port(":27000", host, sizeof host, port, sizeof port) != 0);         /* no host */
    CHECK(parse_host_port("h:0", host, sizeof host, port, sizeof port) != 0);            /* port range */
    CHECK(parse_host_port("h:65536", host, sizeof host, port, sizeof port) != 0);
    CHECK(parse_host_port("--leave-running:1", host, sizeof host, port, sizeof port) != 0); /* an option */
    CHECK(parse_host_port("a b:1", host, sizeof host, port, sizeof port) != 0);          /* not a host */
    CHECK(parse_host_port("[::1:2", host, sizeof host, port, sizeof port) != 0);
}

static void aPortListenedOnByAnotherUserIsFound(void)
{
    const char *tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:6A2A 00000000:0000 0A 00000000:00000000 00:00000000 00000000  65534        0 1 1\n"
        "   1: 0100007F:6A2B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1\n"
        "   2: 0100007F:6A2C 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  65534        0 3 1\n"
        "   3: 00000000:6A2D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4 1\n";
    CHECK(tcp_port_listened_by_other(tcp, 0x6A2A, 0) == 65534);   /* nobody listens on 27178 */
    CHECK(tcp_port_listened_by_other(tcp, 0x6A2B, 0) == -1);      /* root's */
    CHECK(tcp_port_listened_by_other(tcp, 0x6A2C, 0) == -1);      /* established, not listening */
    CHECK(tcp_port_listened_by_other(tcp, 0x6A2D, 1000) == -1);   /* the caller's own */
    CHECK(tcp_port_listened_by_other(tcp, 0x6A2D, 0) == 1000);
    CHECK(tcp_port_listened_by_other(tcp, 1, 0) == -1);
    CHECK(tcp_port_listened_by_other(NULL, 1, 0) == -1);
}

static void firstTakenFindsALivePid(void)
{
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0);
    pid_t ids[2] = {dead, getpid()};
    CHECK(first_taken(ids, 2) == getpid());
    CHECK(first_taken(ids, 1) == 0);
}

const struct test util_tests[] = {
    T(parseSizeAcceptsBinaryUnits),
    T(parseSizeRejectsWhatItCannotRead),
    T(parseSizeListSplitsOnCommas),
    T(parseLongEnforcesItsRange),
    T(percentileIsNearestRank),
    T(dirBytesCountsImagesOnceAndSkipsSymlinks),
    T(pidExistsSeesItselfButNotAReapedChild),
    T(metaValueReadsKeyValueLines),
    T(checkpointTidsAreTheCoreImages),
    T(firstTakenFindsALivePid),
    T(hostPortSplitsAddressesAndRefusesOptionsAndBadPorts),
    T(aPortListenedOnByAnotherUserIsFound),
    {NULL, NULL},
};
