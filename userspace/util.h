/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: exit statuses, errors, memory and I/O helpers (util.c). */
#ifndef VMAINFO_UTIL_H
#define VMAINFO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

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

/*
 * Output without printf or a stdio call per piece, for the per-VMA lines
 * (for 60,000 VMAs, vfprintf() and fwrite() were most of the CLI's time):
 * pieces are copied into @b and written to @f when it fills up, and by
 * ob_flush(), which the user calls before writing to @f otherwise.
 */
struct obuf {
	FILE *f;
	char *b;
	size_t n, cap;
};

#define OBUF_INIT(file, buf) { .f = (file), .b = (buf), .cap = sizeof(buf) }

void ob_flush(struct obuf *o);
void ob_write_slow(struct obuf *o, const char *s, size_t n);

static inline void ob_put(struct obuf *o, const char *s, size_t n)
{
	if (n > o->cap - o->n) {
		ob_write_slow(o, s, n);
		return;
	}
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

static inline void ob_c(struct obuf *o, char c)
{
	if (o->n == o->cap)
		ob_flush(o);
	o->b[o->n++] = c;
}

static inline void ob_str(struct obuf *o, const char *s)
{
	ob_put(o, s, strlen(s));
}

/* A string literal: its length known at compile time. */
#define ob_lit(o, lit)	ob_put((o), "" lit, sizeof(lit) - 1)

/* Hexadecimal of at least @width digits (zero-padded), as "%0*llx". */
void ob_hex(struct obuf *o, unsigned long long v, int width);
void ob_dec(struct obuf *o, unsigned long long v);
void ob_sdec(struct obuf *o, long long v);
/* @s padded with spaces to @width, as "%-*s" (@left) or "%*s"; never cut. */
void ob_pad(struct obuf *o, const char *s, int width, bool left);

/* The page size of this machine (the module counts pages of this size). */
unsigned long page_size(void);

#endif
