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

void human_size(unsigned long long bytes, char *out, size_t outlen)
{
	static const char *const units[] = { "B", "K", "M", "G", "T", "P", "E" };
	double v = (double)bytes;
	unsigned int u = 0;

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
