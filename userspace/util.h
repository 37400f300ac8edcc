/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: exit statuses, errors, memory and I/O helpers (util.c). */
#ifndef VMAINFO_UTIL_H
#define VMAINFO_UTIL_H

#include <stddef.h>

/* Exit statuses (documented in Documentation/vmainfo.1.rst). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* other failure (I/O, bad data) */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOMODULE = 3,	/* vmainfo.ko not loaded */
	EXIT_NOPROC = 4,	/* no such process */
	EXIT_PERM = 5,		/* permission denied */
	EXIT_KTHREAD = 6,	/* kernel thread: no address space */
	EXIT_VERSION = 7,	/* module format not understood */
};

/* "vmainfo: " and the message on stderr; returns @code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
int read_all(int fd, char **buf, size_t *len);
void human_size(unsigned long long bytes, char *out, size_t outlen);

/* The page size of this machine (the module counts pages of this size). */
unsigned long page_size(void);

#endif
