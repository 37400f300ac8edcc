// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of the /proc/vmainfo/<pid> text (Documentation/proc-vmainfo.rst):
 * "key: value" header lines, a blank line, then VMA lines
 *   start-end perms offset major:minor inode flags kind present swap huge [path]
 * The path is the rest of the line after one space and may hold spaces.
 * Pure functions over a buffer: unit-tested and fuzzed on the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parse.h"
#include "util.h"

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LANES_1		0x0101010101010101ULL
#define LANES_HIGH	0x8080808080808080ULL

/*
 * Eight characters at a time (a word, its first character in the low byte),
 * without a branch a character: a loop of branches is what costs most under
 * an emulator.  The lanes of @x that are hexadecimal digits [0-9a-f]: their
 * high bit.  (@x | high bit) - c per lane never borrows from the next lane.
 */
static inline unsigned long long hex_lanes(unsigned long long x)
{
	unsigned long long y = x | LANES_HIGH;
	unsigned long long ge0 = (y - 0x30 * LANES_1) & LANES_HIGH;
	unsigned long long ge9 = (y - 0x3a * LANES_1) & LANES_HIGH;
	unsigned long long gea = (y - 0x61 * LANES_1) & LANES_HIGH;
	unsigned long long geg = (y - 0x67 * LANES_1) & LANES_HIGH;

	return ((ge0 & ~ge9) | (gea & ~geg)) & ~x & LANES_HIGH;
}

/* The value of eight lanes of hexadecimal digits (a lane of 0: a digit 0). */
static inline unsigned long long hex_value8(unsigned long long x)
{
	unsigned long long d = (x & 0x0f0f0f0f0f0f0f0fULL) + 9 * ((x >> 6) & LANES_1);

	d = ((d << 4) | (d >> 8)) & 0x00ff00ff00ff00ffULL;
	d = ((d << 8) | (d >> 16)) & 0x0000ffff0000ffffULL;
	return ((d << 16) | (d >> 32)) & 0xffffffffULL;
}

/* The first @n (< 8) lanes of @x, the others 0. */
static inline unsigned long long first_lanes(unsigned long long x, unsigned int n)
{
	return x & ((1ULL << (8 * n)) - 1);
}
#endif

/* Lower-case hexadecimal, 1 to 16 digits. */
static inline bool parse_hex(const char **p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *s = *p;
	int digits = 0;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (end - s > 16) {	/* 17 bytes to look at, as the loop below */
		unsigned long long x, m;
		unsigned int n;

		memcpy(&x, s, 8);
		m = hex_lanes(x);
		if (m != LANES_HIGH) {
			n = (unsigned int)__builtin_ctzll(~m & LANES_HIGH) / 8;
			if (!n)
				return false;
			*out = hex_value8(first_lanes(x, n)) >> (4 * (8 - n));
			*p = s + n;
			return true;
		}
		v = hex_value8(x);
		memcpy(&x, s + 8, 8);
		m = hex_lanes(x);
		if (m == LANES_HIGH) {	/* 16 digits: a 17th is too many */
			if ((s[16] >= '0' && s[16] <= '9') || (s[16] >= 'a' && s[16] <= 'f'))
				return false;
			*out = v << 32 | hex_value8(x);
			*p = s + 16;
			return true;
		}
		n = (unsigned int)__builtin_ctzll(~m & LANES_HIGH) / 8;
		*out = v << (4 * n) | (hex_value8(first_lanes(x, n)) >> (4 * (8 - n)));
		*p = s + 8 + n;
		return true;
	}
#endif
	while (s < end) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			break;
		if (digits >= 16)
			return false;
		v = v << 4 | (unsigned int)d;
		digits++;
		s++;
	}
	if (!digits)
		return false;
	*p = s;
	*out = v;
	return true;
}

static inline bool parse_dec(const char **p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return false;
	while (s < end && *s >= '0' && *s <= '9') {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (~0ULL - d) / 10)
			return false;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*out = v;
	return true;
}

static bool expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/* A whitespace-free token; returns its length (0 if none). */
static size_t token(const char **p, const char *end, const char **tok)
{
	const char *s = *p;

	*tok = s;
	while (s < end && *s != ' ')
		s++;
	*p = s;
	return (size_t)(s - *tok);
}

static inline bool parse_count(const char **p, const char *end, long long *out)
{
	unsigned long long v;

	if (*p < end && **p == '-') {
		(*p)++;
		*out = -1;
		return true;
	}
	if (!parse_dec(p, end, &v) || v > (unsigned long long)1 << 62)
		return false;
	*out = (long long)v;
	return true;
}

void vmi_vma_free(struct vmi_vma *v)
{
	memset(v, 0, sizeof(*v));	/* its strings live in the doc's text */
}

/* "start-end ": the suffix after it, or NULL. */
static const char *parse_range(const char *p, const char *end, struct vmi_vma *v)
{
	unsigned long long a, b;

	if (!parse_hex(&p, end, &a) || !expect(&p, end, '-') ||
	    !parse_hex(&p, end, &b) || !expect(&p, end, ' ') || a >= b)
		return NULL;
	v->start = (unsigned long)a;
	v->end = (unsigned long)b;
	return p;
}

/*
 * The rest of a VMA line from @p (after "start-end "): 0, or -1.  Nothing in
 * it depends on the range, which the reader's memo relies on.
 */
static int parse_rest(char *line, const char *p, const char *end, struct vmi_vma *v)
{
	const char *tok;
	unsigned long long x;
	size_t n;

	if (end - p < 5 || p[4] != ' ')
		return -1;
	if ((p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 's' && p[3] != 'p'))
		return -1;
	memcpy(v->perms, p, 4);
	v->perms[4] = '\0';
	p += 5;
	if (!parse_hex(&p, end, &v->pgoff) || !expect(&p, end, ' '))
		return -1;
	if (!parse_hex(&p, end, &x) || x > 0xfff || !expect(&p, end, ':'))
		return -1;
	v->dev_major = (unsigned int)x;
	if (!parse_hex(&p, end, &x) || x > 0xfffff || !expect(&p, end, ' '))
		return -1;
	v->dev_minor = (unsigned int)x;
	if (!parse_dec(&p, end, &x) || !expect(&p, end, ' '))
		return -1;
	v->inode = (unsigned long)x;
	n = token(&p, end, &tok);
	if (!n || !expect(&p, end, ' '))
		return -1;
	v->flags = line + (tok - line);
	v->flags[n] = '\0';
	n = token(&p, end, &tok);
	if (!n || !expect(&p, end, ' '))
		return -1;
	v->kind = line + (tok - line);
	v->kind[n] = '\0';
	if (!parse_count(&p, end, &v->present) || !expect(&p, end, ' ') ||
	    !parse_count(&p, end, &v->swap) || !expect(&p, end, ' ') ||
	    !parse_count(&p, end, &v->huge))
		return -1;
	if (p == end) {
		v->path = line + (end - line);	/* the NUL in place of the newline */
		return 0;
	}
	if (!expect(&p, end, ' '))
		return -1;
	v->path = line + (p - line);
	return 0;
}

/*
 * Returns 0, or -1 if the line is not a VMA line.  @line is the doc's own
 * copy: the strings of @v point into it (NUL-terminated in place), so 60,000
 * VMAs cost no allocation each.
 */
int vmi_parse_vma_line(char *line, size_t len, struct vmi_vma *v)
{
	const char *p;

	memset(v, 0, sizeof(*v));
	p = parse_range(line, line + len, v);
	if (!p || parse_rest(line, p, line + len, v)) {
		vmi_vma_free(v);
		return -1;
	}
	return 0;
}

void vmi_doc_free(struct vmi_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nhdr; i++) {
		free(doc->hdr[i].key);
		free(doc->hdr[i].value);
	}
	free(doc->hdr);
	free(doc->vmas);
	free(doc->text);
	memset(doc, 0, sizeof(*doc));
}

const char *vmi_hdr(const struct vmi_doc *doc, const char *key)
{
	size_t i;

	for (i = 0; i < doc->nhdr; i++)
		if (!strcmp(doc->hdr[i].key, key))
			return doc->hdr[i].value;
	return NULL;
}

/* A header value as a number: "0x..." hex or decimal, unit words ignored. */
bool vmi_hdr_ul(const struct vmi_doc *doc, const char *key, unsigned long *out)
{
	const char *v = vmi_hdr(doc, key), *end, *p;
	unsigned long long x;

	if (!v)
		return false;
	end = v + strlen(v);
	p = v;
	if (end - p > 2 && p[0] == '0' && p[1] == 'x') {
		p += 2;
		if (!parse_hex(&p, end, &x))
			return false;
	} else if (!parse_dec(&p, end, &x)) {
		return false;
	}
	if (p != end && *p != ' ')
		return false;
	*out = (unsigned long)x;
	return true;
}

void vmi_reader_fd(struct vmi_reader *rd, int fd, size_t chunk)
{
	memset(rd, 0, sizeof(*rd));
	rd->fd = fd;
	rd->cap = chunk ? chunk : 1;
	rd->buf = xmalloc(rd->cap);
	rd->owned = true;
}

void vmi_reader_mem(struct vmi_reader *rd, const char *text, size_t len, size_t chunk)
{
	vmi_reader_fd(rd, -1, chunk);
	rd->src = text;
	rd->src_left = len;
	rd->chunk = chunk ? chunk : 1;
}

/* @text itself, whole: its lines are NUL-terminated in place. */
static void reader_in_place(struct vmi_reader *rd, char *text, size_t len)
{
	memset(rd, 0, sizeof(*rd));
	rd->fd = -1;
	rd->buf = text;
	rd->cap = rd->len = rd->total = len;
	rd->eof = true;
}

void vmi_reader_free(struct vmi_reader *rd)
{
	if (rd->owned)
		free(rd->buf);
	rd->buf = NULL;
	for (unsigned int i = 0; i < VMI_MEMO; i++) {
		free(rd->memo_slot[i].raw);
		free(rd->memo_slot[i].parsed);
	}
	free(rd->memo_tmp);
	memset(rd->memo_slot, 0, sizeof(rd->memo_slot));
	rd->memo_tmp = NULL;
}

/*
 * More of the input behind what is unread (moved to the buffer's start; the
 * buffer doubles when one line fills it): false at its end or on a read error.
 */
static bool fill(struct vmi_reader *rd)
{
	ssize_t r;

	if (rd->eof)
		return false;
	if (rd->pos) {
		memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
		rd->len -= rd->pos;
		rd->pos = 0;
	}
	if (rd->len == rd->cap) {
		rd->cap *= 2;
		rd->buf = xrealloc(rd->buf, rd->cap);
	}
	if (rd->fd >= 0) {
		do
			r = read(rd->fd, rd->buf + rd->len, rd->cap - rd->len);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			rd->read_err = errno;
	} else {
		r = (ssize_t)(rd->src_left < rd->chunk ? rd->src_left : rd->chunk);
		if ((size_t)r > rd->cap - rd->len)
			r = (ssize_t)(rd->cap - rd->len);
		memcpy(rd->buf + rd->len, rd->src, (size_t)r);
		rd->src += r;
		rd->src_left -= (size_t)r;
	}
	if (r <= 0) {
		rd->eof = true;
		return false;
	}
	rd->len += (size_t)r;
	rd->total += (size_t)r;
	return true;
}

/*
 * The next whole line, a NUL in place of its newline, and its length in *@n;
 * NULL at the end of the input (a cut-off line left unread) or on a read error.
 */
static char *next_line(struct vmi_reader *rd, size_t *n)
{
	size_t from = rd->pos;

	for (;;) {
		char *nl = memchr(rd->buf + from, '\n', rd->len - from);

		if (nl) {
			char *line = rd->buf + rd->pos;

			*nl = '\0';
			*n = (size_t)(nl - line);
			rd->pos = (size_t)(nl - rd->buf) + 1;
			rd->lineno++;
			return line;
		}
		from = rd->len - rd->pos;	/* where the search goes on, after fill() */
		if (!fill(rd))
			return NULL;
	}
}

/* At the end of the input: a read error, or a last line cut off (kept out). */
static int input_end(struct vmi_reader *rd, struct vmi_doc *doc, char *err, size_t errlen)
{
	if (rd->read_err) {
		snprintf(err, errlen, "%s", strerror(rd->read_err));
		return -1;
	}
	if (rd->pos < rd->len)	/* a reader cut off mid-line: keep what was whole */
		doc->truncated = true;
	return 0;
}

int vmi_read_header(struct vmi_reader *rd, struct vmi_doc *doc, char *err, size_t errlen)
{
	size_t cap_h = doc->nhdr, n;
	char *line;

	while ((line = next_line(rd, &n))) {
		const char *colon;

		if (!n)		/* the blank line after the header */
			return 0;
		colon = memchr(line, ':', n);
		if (!colon || colon == line || colon + 1 >= line + n || colon[1] != ' ') {
			snprintf(err, errlen, "line %zu: not a \"key: value\" header line",
				 rd->lineno);
			return -1;
		}
		if (doc->nhdr == cap_h) {
			cap_h = cap_h ? cap_h * 2 : 64;
			doc->hdr = xrealloc(doc->hdr, cap_h * sizeof(*doc->hdr));
		}
		doc->hdr[doc->nhdr].key = xstrndup(line, (size_t)(colon - line));
		doc->hdr[doc->nhdr].value = xstrndup(colon + 2, (size_t)(line + n - colon - 2));
		doc->nhdr++;
	}
	return input_end(rd, doc, err, errlen);
}

/*
 * The reader's memo (rd->memo): a VMA line whose text after "start-end " is
 * that of one of the last VMI_MEMO lines parsed is the same VMA but for its
 * range.  Most of a large address space repeats a few such texts (here,
 * 60,000 VMAs of two), and what a reader writes of one can be kept too
 * (rd->line_id names it).  Returns whether *@v is one remembered.
 */
static bool memo_find(struct vmi_reader *rd, const char *sfx, size_t n, struct vmi_vma *v)
{
	for (unsigned int i = 0; i < VMI_MEMO; i++) {
		const struct vmi_memo *m = &rd->memo_slot[i];

		if (m->id && m->len == n && !memcmp(m->raw, sfx, n)) {
			unsigned long start = v->start, end = v->end;

			*v = m->v;
			v->start = start;
			v->end = end;
			rd->line_slot = i;
			rd->line_id = m->id;
			return true;
		}
	}
	return false;
}

/* Remember the suffix @raw (as read) of the line just parsed into *@v, at @sfx. */
static void memo_add(struct vmi_reader *rd, const char *raw, char *sfx, size_t n,
		     struct vmi_vma *v)
{
	unsigned int i = rd->memo_next++ % VMI_MEMO;
	struct vmi_memo *m = &rd->memo_slot[i];

	if (m->cap < n + 1) {
		m->cap = 2 * (n + 1);
		m->raw = xrealloc(m->raw, m->cap);
		m->parsed = xrealloc(m->parsed, m->cap);
	}
	memcpy(m->raw, raw, n);
	memcpy(m->parsed, sfx, n + 1);	/* the parser's NULs, and the line's */
	v->flags = m->parsed + (v->flags - sfx);
	v->kind = m->parsed + (v->kind - sfx);
	v->path = m->parsed + (v->path - sfx);
	m->len = n;
	m->v = *v;
	m->id = ++rd->memo_ids;
	rd->line_slot = i;
	rd->line_id = m->id;
}

/*
 * A whole line at the reader's position that is "start-end " and a suffix of
 * the memo, its newline included: *@v, without a search for the newline.
 */
static bool memo_line(struct vmi_reader *rd, struct vmi_vma *v)
{
	const char *p = rd->buf + rd->pos, *end = rd->buf + rd->len, *sfx;

	if (p == end || *p == '\n')
		return false;
	sfx = parse_range(p, end, v);
	if (!sfx)
		return false;
	for (unsigned int i = 0; i < VMI_MEMO; i++) {
		const struct vmi_memo *m = &rd->memo_slot[i];
		unsigned long start, vend;

		if (!m->id || m->len >= (size_t)(end - sfx) || sfx[m->len] != '\n' ||
		    memcmp(m->raw, sfx, m->len))
			continue;
		start = v->start;
		vend = v->end;
		*v = m->v;
		v->start = start;
		v->end = vend;
		rd->line_slot = i;
		rd->line_id = m->id;
		rd->line_len = (size_t)(sfx - p) + m->len;
		rd->pos += rd->line_len + 1;
		rd->lineno++;
		return true;
	}
	return false;
}

int vmi_read_vma(struct vmi_reader *rd, struct vmi_doc *doc, struct vmi_vma *v, char *err,
		 size_t errlen)
{
	size_t n, blank = 0;
	char *line;
	const char *sfx;

	if (rd->memo && memo_line(rd, v))
		return 1;

	/* blank lines at the very end: a saved text edited by hand */
	while ((line = next_line(rd, &n)) && !n)
		if (!blank)
			blank = rd->lineno;
	if (!line && input_end(rd, doc, err, errlen))
		return -1;
	if (blank && (line || doc->truncated)) {
		doc->truncated = false;
		snprintf(err, errlen, "line %zu: not a VMA line", blank);
		return -1;
	}
	if (!line)
		return 0;
	rd->line_len = n;
	if (!rd->memo) {
		if (vmi_parse_vma_line(line, n, v))
			goto bad;
		return 1;
	}
	memset(v, 0, sizeof(*v));
	sfx = parse_range(line, line + n, v);
	if (!sfx)
		goto bad;
	if (memo_find(rd, sfx, (size_t)(line + n - sfx), v))
		return 1;
	if (rd->memo_tmp_cap < n) {
		rd->memo_tmp_cap = 2 * n;
		rd->memo_tmp = xrealloc(rd->memo_tmp, rd->memo_tmp_cap);
	}
	memcpy(rd->memo_tmp, sfx, (size_t)(line + n - sfx));	/* before the parser's NULs */
	if (parse_rest(line, sfx, line + n, v))
		goto bad;
	memo_add(rd, rd->memo_tmp, line + (sfx - line), (size_t)(line + n - sfx), v);
	return 1;
bad:
	snprintf(err, errlen, "line %zu: not a VMA line", rd->lineno);
	return -1;
}

int vmi_check_header(struct vmi_doc *doc, char *err, size_t errlen)
{
	if (!vmi_hdr(doc, "pid") || !vmi_hdr(doc, "format")) {
		snprintf(err, errlen, "%s", doc->truncated && !doc->nhdr ?
			 "input ends before the header" : "header has no pid or format");
		return -1;
	}
	doc->kthread = vmi_hdr(doc, "mm") != NULL;
	return 0;
}

int vmi_parse(const char *text, size_t len, struct vmi_doc *doc, char *err,
	      size_t errlen)
{
	return vmi_parse_owned(xstrndup(text, len), len, doc, err, errlen);
}

/*
 * As vmi_parse(), on @text itself: a malloc()ed buffer of @len bytes and a
 * NUL, which the doc owns from now on (also on failure), so a large text is
 * neither copied nor held twice.
 */
int vmi_parse_owned(char *text, size_t len, struct vmi_doc *doc, char *err,
		    size_t errlen)
{
	struct vmi_reader rd;
	size_t cap_v = 0;
	int rc;

	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	/* one VMA a line at most: no regrowing of a 60,000-VMA array */
	for (const char *q = text, *end = text + len;
	     (q = memchr(q, '\n', (size_t)(end - q))); q++)
		cap_v++;
	doc->vmas = xmalloc((cap_v ? cap_v : 1) * sizeof(*doc->vmas));
	reader_in_place(&rd, text, len);
	if (vmi_read_header(&rd, doc, err, errlen))
		goto bad;
	while ((rc = vmi_read_vma(&rd, doc, &doc->vmas[doc->nvmas], err, errlen)) > 0)
		if (++doc->nvmas == cap_v) {	/* not reached: a line each */
			cap_v *= 2;
			doc->vmas = xrealloc(doc->vmas, cap_v * sizeof(*doc->vmas));
		}
	if (rc < 0 || vmi_check_header(doc, err, errlen))
		goto bad;
	return 0;
bad:
	vmi_doc_free(doc);
	return -1;
}
