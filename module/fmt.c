// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: numbers and columns written into a line buffer (no NUL): every
 * address of every line goes through here, so these are written for speed,
 * not with snprintf().
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include "compat.h"
#include "vmainfo.h"

/*
 * Lower-case hex of at least @width digits at @p; returns the end.  Written
 * from the last digit back, two digits per byte of @v, as this formats every
 * address of every line.
 */
char *vmi_fmt_hex(char *p, unsigned long long v, unsigned int width)
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
char *vmi_fmt_dec(char *p, unsigned long long v)
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

/* Fixed-width hex, like seq_put_hex_ll() (which is not exported). */
void vmi_put_hex(struct seq_file *m, const char *delim,
		 unsigned long long v, unsigned int width)
{
	char buf[40], *p = buf;

	while (delim && *delim && p < buf + 16)
		*p++ = *delim++;
	p = vmi_fmt_hex(p, v, width);
	seq_write(m, buf, p - buf);
}
