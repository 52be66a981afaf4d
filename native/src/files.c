/* Files and folders no other local user can steer; the rule is in files.h. */
#define _GNU_SOURCE
#include "files.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 4 /* DIR/pre-N is as deep as checkpoint goes */

static int owned_by_us_or_root(const struct stat *st)
{
    return st->st_uid == geteuid() || st->st_uid == 0;
}

/* A folder only the caller or root can change entries of: the owner is one of them, and no one
 * else may write it unless it is sticky (then no one else may rename or remove our entries). */
static int trusted_dir(const struct stat *st)
{
    return owned_by_us_or_root(st) && ((st->st_mode & 022) == 0 || (st->st_mode & S_ISVTX) != 0);
}

static int refuse(char *why, size_t whylen, const char *fmt, const char *path, const struct stat *st)
{
    snprintf(why, whylen, fmt, path, st != NULL ? (int)st->st_uid : 0, st != NULL ? (unsigned)(st->st_mode & 07777) : 0u);
    return FILES_REFUSED;
}

static int fail(char *why, size_t whylen, const char *what, const char *path)
{
    int e = errno;
    snprintf(why, whylen, "cannot %s %s: %s", what, path, strerror(e));
    errno = e;
    return FILES_ERROR;
}

#define MAX_LINKS 40 /* as the kernel's own limit on links in one lookup */

static const char *shown_or_root(const char *walked)
{
    return walked[0] != '\0' ? walked : "/";
}

/* Resolves dir one name at a time from "/", as the kernel would, but checking as it goes: every
 * folder entered must be trusted, and a symbolic link is followed only if the caller or root
 * owns it (it then sits in a trusted folder, so no one else can have made or changed it). Each
 * folder is opened with O_NOFOLLOW from the one before, so nothing swapped in behind a check is
 * followed. A relative dir starts from the working folder's absolute path, checked the same way. */
int files_open_trusted_dir(const char *dir, char *canon, size_t canon_len, char *why, size_t whylen)
{
    char rest[2 * PATH_MAX], walked[PATH_MAX] = "";
    if (dir[0] == '/')
        snprintf(rest, sizeof rest, "%s", dir);
    else {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == NULL)
            return fail(why, whylen, "find the working folder for", dir);
        if ((size_t)snprintf(rest, sizeof rest, "%s/%s", cwd, dir) >= sizeof rest) {
            errno = ENAMETOOLONG;
            return fail(why, whylen, "use", dir);
        }
    }
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return fail(why, whylen, "open", "/");
    int links = 0;
    size_t pos = 0;
    struct stat st;
    for (;;) {
        if (fstat(fd, &st) != 0) {
            close(fd);
            return fail(why, whylen, "look at", shown_or_root(walked));
        }
        if (!trusted_dir(&st)) {
            close(fd);
            return refuse(why, whylen, "folder %s is owned by uid %d with mode %o: another user can change what "
                          "is in it; use a folder owned by you or root that only its owner can write",
                          shown_or_root(walked), &st);
        }
        while (rest[pos] == '/')
            pos++;
        if (rest[pos] == '\0')
            break;
        char name[NAME_MAX + 1];
        size_t n = strcspn(rest + pos, "/");
        if (n > NAME_MAX) {
            close(fd);
            errno = ENAMETOOLONG;
            return fail(why, whylen, "use", dir);
        }
        memcpy(name, rest + pos, n);
        name[n] = '\0';
        pos += n;
        if (strcmp(name, ".") == 0)
            continue;
        size_t wl = strlen(walked);
        char here[PATH_MAX + NAME_MAX + 2];
        snprintf(here, sizeof here, "%s/%s", walked, name);
        if (strcmp(name, "..") != 0 && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
            if (!owned_by_us_or_root(&st)) {
                close(fd);
                return refuse(why, whylen, "%s is a symbolic link owned by uid %d, another user: refused, since "
                              "that user chooses where it leads (mode %o); give a path without it", here, &st);
            }
            char target[PATH_MAX];
            ssize_t tl = readlinkat(fd, name, target, sizeof target - 1);
            if (tl <= 0 || ++links > MAX_LINKS) {
                if (tl > 0)
                    errno = ELOOP;
                close(fd);
                return fail(why, whylen, "follow", here);
            }
            target[tl] = '\0';
            char joined[2 * PATH_MAX];
            if ((size_t)snprintf(joined, sizeof joined, "%s/%s", target, rest + pos) >= sizeof joined) {
                close(fd);
                errno = ENAMETOOLONG;
                return fail(why, whylen, "follow", here);
            }
            snprintf(rest, sizeof rest, "%s", joined);
            pos = 0;
            if (target[0] == '/') { /* start again from the root */
                close(fd);
                walked[0] = '\0';
                fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                    return fail(why, whylen, "open", "/");
            }
            continue; /* the folder we are in is checked again: harmless */
        }
        int next = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            int e = errno;
            close(fd);
            errno = e;
            if (e == ELOOP)
                return refuse(why, whylen, "%s changed into a link while it was checked (uid %d, mode %o); "
                              "refused", here, NULL);
            return fail(why, whylen, "open", here);
        }
        close(fd);
        fd = next;
        if (strcmp(name, "..") == 0) {
            char *slash = strrchr(walked, '/');
            if (slash != NULL)
                *slash = '\0';
        } else if (wl + 1 + n < sizeof walked)
            snprintf(walked + wl, sizeof walked - wl, "/%s", name);
        else {
            close(fd);
            errno = ENAMETOOLONG;
            return fail(why, whylen, "use", dir);
        }
    }
    if (canon != NULL)
        snprintf(canon, canon_len, "%s", shown_or_root(walked));
    return fd;
}

/* Splits path into its folder (".", "/" or the part before the last '/') and its last name. */
static int split(const char *path, char *dir, size_t dirlen, const char **name)
{
    const char *slash = strrchr(path, '/');
    *name = slash != NULL ? slash + 1 : path;
    if (**name == '\0' || strcmp(*name, ".") == 0 || strcmp(*name, "..") == 0)
        return -1;
    if (slash == NULL)
        snprintf(dir, dirlen, ".");
    else if (slash == path)
        snprintf(dir, dirlen, "/");
    else if ((size_t)(slash - path) >= dirlen)
        return -1;
    else {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    }
    return 0;
}

/* An existing entry we may write to: a regular file of ours with no other name, or a device
 * (only root can make one). Anything else is another user's or a trap (FIFO, socket). */
static int reusable(int fd, const char *path, int *regular, char *why, size_t whylen)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return fail(why, whylen, "look at", path);
    *regular = S_ISREG(st.st_mode);
    if (S_ISCHR(st.st_mode))
        return 0;
    if (!S_ISREG(st.st_mode))
        return refuse(why, whylen, "%s exists and is not a regular file (uid %d, mode %o): refused; give a new "
                      "file name", path, &st);
    if (st.st_uid != geteuid())
        return refuse(why, whylen, "%s exists and belongs to uid %d, another user (mode %o): refused, not "
                      "overwritten; remove it or give a new file name", path, &st);
    if (st.st_nlink != 1)
        return refuse(why, whylen, "%s exists with more than one name (a hard link; uid %d, mode %o): refused; "
                      "remove it or give a new file name", path, &st);
    return 0;
}

int files_open_output(const char *path, int append, char *why, size_t whylen)
{
    char dir[PATH_MAX];
    const char *name;
    if (split(path, dir, sizeof dir, &name) != 0) {
        snprintf(why, whylen, "%s names no file", path);
        return FILES_REFUSED;
    }
    int dirfd = files_open_trusted_dir(dir, NULL, 0, why, whylen);
    if (dirfd < 0)
        return dirfd;
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0 && errno == EEXIST) {
        /* O_NONBLOCK: a FIFO someone put there must not block us; it is refused below. */
        fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (append ? O_APPEND : 0));
        if (fd < 0 && (errno == ELOOP || errno == ENXIO)) {
            int is_link = errno == ELOOP;
            struct stat st;
            int have = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
            close(dirfd);
            return refuse(why, whylen, is_link
                          ? "%s is a symbolic link (owner uid %d, mode %o): refused, nothing is written through a "
                            "link; remove it or give a new file name"
                          : "%s exists and is not a regular file (uid %d, mode %o): refused; give a new file name",
                          path, have ? &st : NULL);
        }
        if (fd >= 0) {
            int regular = 0;
            int rc = reusable(fd, path, &regular, why, whylen);
            if (rc == 0 && !append && regular && ftruncate(fd, 0) != 0)
                rc = fail(why, whylen, "truncate", path);
            if (rc != 0) {
                close(fd);
                close(dirfd);
                return rc;
            }
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        }
    }
    if (fd < 0)
        fail(why, whylen, "create", path);
    int e = errno;
    close(dirfd);
    errno = e;
    return fd < 0 ? FILES_ERROR : fd;
}

int files_create_in(int dirfd, const char *name, char *why, size_t whylen)
{
    if (unlinkat(dirfd, name, 0) != 0 && errno != ENOENT)
        return fail(why, whylen, "remove the old", name);
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
    return fd < 0 ? fail(why, whylen, "create", name) : fd;
}


int files_image_dir(const char *dir, char *canon, size_t canon_len, char *why, size_t whylen)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        if (errno != ENOENT)
            return fail(why, whylen, "look at", dir);
        /* Nothing is created under a folder that fails the rule: check the deepest one there is. */
        char up[PATH_MAX];
        snprintf(up, sizeof up, "%s", dir);
        for (;;) {
            char *slash = strrchr(up, '/');
            if (slash == NULL) {
                snprintf(up, sizeof up, ".");
                break;
            }
            *(slash == up ? slash + 1 : slash) = '\0';
            if (lstat(up, &st) == 0 || slash == up)
                break;
        }
        int upfd = files_open_trusted_dir(up, NULL, 0, why, whylen);
        if (upfd < 0)
            return upfd;
        close(upfd);
        if (make_dirs(dir, 0700) != 0)
            return fail(why, whylen, "create the image folder", dir);
    }
    int pathfd = files_open_trusted_dir(dir, canon, canon_len, why, whylen);
    if (pathfd < 0)
        return pathfd;
    int fd = openat(pathfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    close(pathfd);
    if (fd < 0)
        return fail(why, whylen, "open", dir);
    if (fstat(fd, &st) != 0) {
        close(fd);
        return fail(why, whylen, "look at", dir);
    }
    if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
        close(fd);
        return refuse(why, whylen, "image folder %s is owned by uid %d with mode %o: the images hold the "
                      "process's memory and must be yours alone; give a new folder, or one you own that only "
                      "you can write", dir, &st);
    }
    if ((st.st_mode & 077) != 0 && fchmod(fd, 0700) != 0) {
        close(fd);
        return fail(why, whylen, "make private (mode 0700)", dir);
    }
    return fd;
}

/* Calls visit(dirfd, name, st, path) for each entry under dirfd, folders before their entries,
 * never following a link; stops at the first non-zero answer and returns it. */
typedef int (*visit_fn)(int dirfd, const char *name, const struct stat *st, const char *path, char *why, size_t whylen);

static int walk(int dirfd, const char *shown, int depth, visit_fn visit, char *why, size_t whylen)
{
    int copy = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
    if (d == NULL) {
        if (copy >= 0)
            close(copy);
        return fail(why, whylen, "list", shown);
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", shown, e->d_name);
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            rc = fail(why, whylen, "look at", path);
            break;
        }
        rc = visit(dirfd, e->d_name, &st, path, why, whylen);
        if (rc == 0 && S_ISDIR(st.st_mode)) {
            if (depth >= MAX_DEPTH) {
                rc = refuse(why, whylen, "%s is nested deeper than a checkpoint goes (uid %d, mode %o): refused",
                            path, &st);
                break;
            }
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                rc = fail(why, whylen, "open", path);
                break;
            }
            rc = walk(sub, path, depth + 1, visit, why, whylen);
            close(sub);
        }
    }
    closedir(d);
    return rc;
}

static int make_private_entry(int dirfd, const char *name, const struct stat *st, const char *path, char *why,
                              size_t whylen)
{
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
        return 0; /* CRIU's "parent" link; a link has no mode of its own */
    mode_t want = S_ISDIR(st->st_mode) ? 0700 : 0600;
    if ((st->st_mode & 07777) == want)
        return 0;
    /* Through a descriptor opened without following links, so a swapped entry is not changed. */
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return fail(why, whylen, "open", path);
    int rc = fchmod(fd, want) == 0 ? 0 : fail(why, whylen, "make private", path);
    close(fd);
    return rc;
}

int files_make_private(int dirfd, char *why, size_t whylen)
{
    if (fchmod(dirfd, 0700) != 0)
        return fail(why, whylen, "make private", "the image folder");
    return walk(dirfd, "the image folder", 0, make_private_entry, why, whylen);
}

/* "pre-N" or "../pre-N": the links checkpoint makes CRIU write, to its own pre-dumps. */
static int parent_link_ok(int dirfd, const char *name)
{
    if (strcmp(name, "parent") != 0)
        return 0;
    char target[64];
    ssize_t n = readlinkat(dirfd, name, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    return files_parent_target_ok(target);
}

int files_parent_target_ok(const char *target)
{
    const char *t = strncmp(target, "../", 3) == 0 ? target + 3 : target;
    if (strncmp(t, "pre-", 4) != 0 || t[4] == '\0')
        return 0;
    for (const char *c = t + 4; *c != '\0'; c++)
        if (*c < '0' || *c > '9')
            return 0;
    return 1;
}

static int check_entry(int dirfd, const char *name, const struct stat *st, const char *path, char *why, size_t whylen)
{
    if (st->st_uid != geteuid())
        return refuse(why, whylen, "%s belongs to uid %d, not to you (mode %o): another user may have written "
                      "these images, and CRIU restores credentials from them; refused", path, st);
    if (S_ISLNK(st->st_mode)) {
        if (parent_link_ok(dirfd, name))
            return 0;
        return refuse(why, whylen, "%s is a symbolic link (uid %d, mode %o), and a checkpoint holds none but "
                      "its 'parent' link to a pre-dump: refused", path, st);
    }
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
        return refuse(why, whylen, "%s is neither a file nor a folder (uid %d, mode %o): refused", path, st);
    if ((st->st_mode & 022) != 0)
        return refuse(why, whylen, "%s can be written by others (uid %d, mode %o): another user may have changed "
                      "these images, and CRIU restores credentials from them; refused", path, st);
    return 0;
}

int files_check_private(int dirfd, const char *shown, char *why, size_t whylen)
{
    struct stat st;
    if (fstat(dirfd, &st) != 0)
        return fail(why, whylen, "look at", shown);
    int rc = check_entry(dirfd, ".", &st, shown, why, whylen);
    return rc != 0 ? rc : walk(dirfd, shown, 0, check_entry, why, whylen);
}

char *files_read_in(int dirfd, const char *name, size_t max)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    return read_text_fd(fd, max);
}
