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
#include "fmt.h"
#include "vmainfo.h"

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
