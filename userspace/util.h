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

/*
 * Room for @n more bytes (at most o->cap), written through the pointer this
 * returns, without a check a piece: ob_commit() with the end of what was
 * written.  One reservation a VMA line.
 */
static inline char *ob_reserve(struct obuf *o, size_t n)
{
	if (n > o->cap - o->n)
		ob_flush(o);
	return o->b + o->n;
}

static inline void ob_commit(struct obuf *o, char *end)
{
	o->n = (size_t)(end - o->b);
}

/*
 * Writers for a reservation: each returns the end of what it wrote.  Their
 * byte loops are for pieces of a few bytes: the empty asm keeps the compiler
 * from making them calls of memcpy() or memset() (in a static binary, an
 * indirect jump to the CPU's variant each, dear under an emulator).
 */
#define NOT_A_CALL(p)	__asm__("" : "+r"(p))

#define put_lit(w, lit)	((char *)memcpy((w), "" lit, sizeof(lit) - 1) + sizeof(lit) - 1)

static inline char *put_str(char *w, const char *s)
{
	while (*s) {
		*w++ = *s++;
		NOT_A_CALL(w);
	}
	return w;
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The 8 hexadecimal digits of @x, as the 8 bytes to store (no branch a digit). */
static inline unsigned long long hex_chars8(unsigned int x)
{
	unsigned long long t = x;

	t = ((t & 0xffff0000ULL) << 16) | (t & 0xffffULL);
	t = ((t & 0x0000ff000000ff00ULL) << 8) | (t & 0x000000ff000000ffULL);
	t = ((t & 0x00f000f000f000f0ULL) << 4) | (t & 0x000f000f000f000fULL);
	/* a byte a digit, the last first: '0'-'9', and 'a'-'f' for 10-15 */
	t += 0x3030303030303030ULL +
	     39 * (((t + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL);
	return __builtin_bswap64(t);
}
#endif

/*
 * Hexadecimal of at least @width (at most 16) digits, as "%0*llx".  It may
 * write up to 16 bytes at @w (a reservation has room for them).
 */
static inline char *put_hex(char *w, unsigned long long v, int width)
{
	int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	char tmp[32];
	unsigned long long hi = hex_chars8((unsigned int)(v >> 32)), lo = hex_chars8((unsigned int)v);

	if (n < width)
		n = width;
	memcpy(tmp, &hi, 8);
	memcpy(tmp + 8, &lo, 8);
	memset(tmp + 16, 0, 16);
	memcpy(w, tmp + 16 - n, 16);
	return w + n;
#else
	char *end;

	if (n < width)
		n = width;
	end = w + n;
	for (w = end; n--; v >>= 4)
		*--w = "0123456789abcdef"[v & 15];
	return end;
#endif
}

/* Decimal, as "%llu". */
static inline char *put_dec(char *w, unsigned long long v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof(tmp);

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	while (p < tmp + sizeof(tmp)) {
		*w++ = *p++;
		NOT_A_CALL(w);
	}
	return w;
}

/* Decimal, as "%lld". */
static inline char *put_sdec(char *w, long long v)
{
	if (v >= 0)
		return put_dec(w, (unsigned long long)v);
	*w++ = '-';
	return put_dec(w, 0ULL - (unsigned long long)v);
}

/* strlen(), for short strings. */
static inline size_t str_len(const char *s)
{
	const char *p = s;

	while (*p) {
		p++;
		NOT_A_CALL(p);
	}
	return (size_t)(p - s);
}

/* @n bytes of @s: a loop, not a call of memcpy(), for the short pieces of a line. */
static inline char *put_n(char *w, const char *s, size_t n)
{
	while (n--) {
		*w++ = *s++;
		NOT_A_CALL(w);
	}
	return w;
}

/* @s padded with spaces to @width, as "%-*s" (@left) or "%*s"; never cut. */
static inline char *put_pad(char *w, const char *s, size_t n, int width, bool left)
{
	int pad = width > (int)n ? width - (int)n : 0;

	if (left)
		w = put_n(w, s, n);
	while (pad-- > 0) {
		*w++ = ' ';
		NOT_A_CALL(w);
	}
	if (!left)
		w = put_n(w, s, n);
	return w;
}

/* Hexadecimal of at least @width digits (zero-padded), as "%0*llx". */
void ob_hex(struct obuf *o, unsigned long long v, int width);
void ob_dec(struct obuf *o, unsigned long long v);
void ob_sdec(struct obuf *o, long long v);
/* @s padded with spaces to @width, as "%-*s" (@left) or "%*s"; never cut. */
void ob_pad(struct obuf *o, const char *s, int width, bool left);

/*
 * human_size() of a whole number of its unit below 1024 (most sizes: no
 * floating point) into @out (8 bytes at least): its length; else 0.
 */
static inline size_t human_whole(unsigned long long bytes, char *out)
{
	static const char units[] = "BKMGTPE";
	unsigned int u = 0;
	char *w;

	while (u < 6 && bytes >> (10 * u) >= 1024 && !(bytes & ((1ULL << (10 * (u + 1))) - 1)))
		u++;
	if (bytes >> (10 * u) >= 1024 && u != 6)
		return 0;
	w = put_dec(out, bytes >> (10 * u));
	*w++ = units[u];
	*w = '\0';
	return (size_t)(w - out);
}

/* The page size of this machine (the module counts pages of this size). */
unsigned long page_size(void);

#endif
