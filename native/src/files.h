/* Files and folders lp4j-native writes or trusts, made so that no other local user can steer
 * them (issue 14, items 2 and 3). The rule, also in docs/native.md "Files and permissions":
 *  - a folder is trusted when it is owned by the caller or root and no one else can write it,
 *    or it is sticky (like /tmp), where no one else can move or remove the caller's entries;
 *    every folder on the way to an output must be trusted, and a symbolic link on the way is
 *    followed only if the caller or root owns it (the path is resolved here, name by name);
 *  - an output is created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600; an existing one is reused only
 *    when it is a regular file of the caller with one link (or a device, which only root can
 *    make), never through a symbolic link;
 *  - a checkpoint's image folder is the caller's, mode 0700, its files 0600, and restore trusts
 *    a folder only when it and every entry in it are the caller's and writable by no one else.
 * Each function returns a descriptor (or 0) on success, FILES_REFUSED when the rule refuses the
 * path, FILES_ERROR when the system fails (errno set); why gets one sentence either way. */
#ifndef LP4J_FILES_H
#define LP4J_FILES_H

#include <stddef.h>

#define FILES_ERROR (-1)
#define FILES_REFUSED (-2)

/* Opens dir (O_PATH) after checking every folder and link on the way; canon (if not NULL, of
 * canon_len bytes) gets the path with no links left, which is what is handed to CRIU. */
int files_open_trusted_dir(const char *dir, char *canon, size_t canon_len, char *why, size_t whylen);

/* Creates or reuses path as an output, as the rule above says. append: O_APPEND, else the
 * reused file is truncated. Returns the descriptor (O_WRONLY, O_CLOEXEC). */
int files_open_output(const char *path, int append, char *why, size_t whylen);

/* Creates a file in a folder already checked: dirfd, name (no '/'). Removes an old entry of
 * that name first; O_CREAT|O_EXCL|O_NOFOLLOW, 0600. */
int files_create_in(int dirfd, const char *name, char *why, size_t whylen);

/* The image folder for checkpoint: created 0700 if missing (its missing parents too), else it
 * must be the caller's and writable by no one else; then made 0700. Returns an O_RDONLY
 * descriptor of it; canon gets its path without links. */
int files_image_dir(const char *dir, char *canon, size_t canon_len, char *why, size_t whylen);

/* After CRIU wrote into the folder: every folder 0700, every file 0600, no links followed. */
int files_make_private(int dirfd, char *why, size_t whylen);

/* For restore: the folder and every entry below it are the caller's, writable by no one else,
 * regular files or folders; the one link allowed is the "parent" link a dump after pre-dumps
 * makes ("pre-N" or "../pre-N"). Returns 0, or FILES_REFUSED naming the first offender. */
int files_check_private(int dirfd, const char *shown, char *why, size_t whylen);

/* True for the target of the one link a checkpoint holds: "pre-N" or "../pre-N". */
int files_parent_target_ok(const char *target);

/* Reads a file of a checked folder (no link followed), at most max bytes, NUL-terminated. */
char *files_read_in(int dirfd, const char *name, size_t max);

#endif
