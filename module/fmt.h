/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmainfo: numbers written into a line buffer (no NUL), for every column of
 * every line: inline, as a call and return per column cost measurably with
 * 60,000 VMAs (6.1 guest, perf).  fmt.c has the rest.
 */
#ifndef VMAINFO_FMT_H
#define VMAINFO_FMT_H

#include <linux/bitops.h>
#include <linux/kernel.h>
#include "compat.h"

/*
 * Lower-case hex of at least @width digits at @p; returns the end.  Written
 * from the last digit back, two digits per byte of @v, as this formats every
 * address of every line.
 */
static inline char *vmi_fmt_hex(char *p, unsigned long long v, unsigned int width)
{
	unsigned int len = v ? (fls64(v) + 3) / 4 : 1;
	char *end;

	len = max(len, width);
	end = p + len;
	while (end - p >= 2) {
		end -= 2;
		hex_byte_pack(end, v & 0xff);
		v >>= 8;
	}
	if (end > p)
		*p = hex_asc_lo(v);
	return p + len;
}

/* Decimal at @p; returns the end. */
static inline char *vmi_fmt_dec(char *p, unsigned long long v)
{
	char tmp[20];
	int len = 0;

	if (v < 10) {		/* most counts of most VMAs */
		*p = '0' + v;
		return p + 1;
	}
	do {
		tmp[len++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (len)
		*p++ = tmp[--len];
	return p;
}

#endif
