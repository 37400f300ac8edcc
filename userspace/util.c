// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

int fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("vmainfo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

unsigned long page_size(void)
{
	static unsigned long size;

	if (!size) {
		long n = sysconf(_SC_PAGESIZE);

		size = n > 0 ? (unsigned long)n : 4096;
	}
	return size;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "vmainfo: out of memory\n");
		exit(EXIT_FAIL);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "vmainfo: out of memory\n");
		exit(EXIT_FAIL);
	}
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Read until EOF; returns 0 or -errno.  *buf is NUL-terminated. */
int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = xmalloc(cap + 1);

	for (;;) {
		ssize_t r;

		if (n == cap) {
			cap *= 2;
			b = xrealloc(b, cap + 1);
		}
		r = read(fd, b + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			free(b);
			return (int)r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* @v in decimal at the end of @end's buffer; returns the first digit. */
static char *dec_digits(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void ob_flush(struct obuf *o)
{
	if (o->n)
		fwrite_unlocked(o->b, 1, o->n, o->f);
	o->n = 0;
}

void ob_write_slow(struct obuf *o, const char *s, size_t n)
{
	ob_flush(o);
	if (n >= o->cap) {
		fwrite_unlocked(s, 1, n, o->f);
		return;
	}
	memcpy(o->b, s, n);
	o->n = n;
}

void ob_hex(struct obuf *o, unsigned long long v, int width)
{
	char buf[32], *end = buf + sizeof(buf), *p = end;

	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (end - p < width && p > buf)
		*--p = '0';
	ob_put(o, p, (size_t)(end - p));
}

void ob_dec(struct obuf *o, unsigned long long v)
{
	char buf[24], *end = buf + sizeof(buf), *p = dec_digits(end, v);

	ob_put(o, p, (size_t)(end - p));
}

void ob_sdec(struct obuf *o, long long v)
{
	if (v < 0) {
		ob_c(o, '-');
		ob_dec(o, 0ULL - (unsigned long long)v);
	} else {
		ob_dec(o, (unsigned long long)v);
	}
}

void ob_pad(struct obuf *o, const char *s, int width, bool left)
{
	size_t n = strlen(s);
	int pad = width > (int)n ? width - (int)n : 0;

	if (left)
		ob_put(o, s, n);
	while (pad-- > 0)
		ob_c(o, ' ');
	if (!left)
		ob_put(o, s, n);
}

void human_size(unsigned long long bytes, char *out, size_t outlen)
{
	static const char *const units[] = { "B", "K", "M", "G", "T", "P", "E" };
	double v = (double)bytes;
	unsigned int u = 0;
	char whole[8];

	if (human_whole(bytes, whole) && outlen >= 8) {
		memcpy(out, whole, sizeof(whole));
		return;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, outlen, "%lluB", bytes);
	else if (v < 10 && v != (unsigned long long)v)
		snprintf(out, outlen, "%.1f%s", v, units[u]);
	else
		snprintf(out, outlen, "%.0f%s", v, units[u]);
}
