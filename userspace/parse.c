// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of the /proc/vmainfo/<pid> text (Documentation/proc-vmainfo.rst):
 * "key: value" header lines, a blank line, then VMA lines
 *   start-end perms offset major:minor inode flags kind present swap huge [path]
 * The path is the rest of the line after one space and may hold spaces.
 * Pure functions over a buffer: unit-tested and fuzzed on the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "util.h"

static bool parse_hex(const char **p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *s = *p;
	int digits = 0;

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

static bool parse_dec(const char **p, const char *end, unsigned long long *out)
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

static bool parse_count(const char **p, const char *end, long long *out)
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

/*
 * Returns 0, or -1 if the line is not a VMA line.  @line is the doc's own
 * copy: the strings of @v point into it (NUL-terminated in place), so 60,000
 * VMAs cost no allocation each.
 */
int vmi_parse_vma_line(char *line, size_t len, struct vmi_vma *v)
{
	const char *p = line, *end = line + len, *tok;
	unsigned long long a, b, x;
	size_t n;

	memset(v, 0, sizeof(*v));
	if (!parse_hex(&p, end, &a) || !expect(&p, end, '-') ||
	    !parse_hex(&p, end, &b) || !expect(&p, end, ' ') || a >= b)
		return -1;
	v->start = (unsigned long)a;
	v->end = (unsigned long)b;
	if (end - p < 5 || p[4] != ' ')
		return -1;
	if (!strchr("r-", p[0]) || !strchr("w-", p[1]) || !strchr("x-", p[2]) ||
	    !strchr("sp", p[3]))
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
		goto bad;
	v->kind = line + (tok - line);
	v->kind[n] = '\0';
	if (!parse_count(&p, end, &v->present) || !expect(&p, end, ' ') ||
	    !parse_count(&p, end, &v->swap) || !expect(&p, end, ' ') ||
	    !parse_count(&p, end, &v->huge))
		goto bad;
	if (p == end) {
		v->path = line + len;	/* the NUL in place of the newline */
		return 0;
	}
	if (!expect(&p, end, ' '))
		goto bad;
	v->path = line + (p - line);
	return 0;
bad:
	vmi_vma_free(v);
	return -1;
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
	size_t cap_h = 0, cap_v = 0, lineno = 0;
	bool in_header = true;
	char *p, *end;

	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	p = doc->text;
	end = p + len;
	/* one VMA a line at most: no regrowing of a 60,000-VMA array */
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++)
		cap_v++;
	doc->vmas = xmalloc((cap_v ? cap_v : 1) * sizeof(*doc->vmas));
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);

		lineno++;
		if (!nl) {
			/* A reader cut off mid-line: keep what was whole. */
			doc->truncated = true;
			break;
		}
		if (in_header) {
			const char *colon;

			if (n == 0) {
				in_header = false;
			} else {
				colon = memchr(p, ':', n);
				if (!colon || colon == p || colon + 1 >= le ||
				    colon[1] != ' ') {
					snprintf(err, errlen,
						 "line %zu: not a \"key: value\" header line",
						 lineno);
					vmi_doc_free(doc);
					return -1;
				}
				if (doc->nhdr == cap_h) {
					cap_h = cap_h ? cap_h * 2 : 64;
					doc->hdr = xrealloc(doc->hdr, cap_h * sizeof(*doc->hdr));
				}
				doc->hdr[doc->nhdr].key = xstrndup(p, (size_t)(colon - p));
				doc->hdr[doc->nhdr].value =
					xstrndup(colon + 2, (size_t)(le - colon - 2));
				doc->nhdr++;
			}
		} else {
			/* blank lines at the very end: a saved text edited by hand */
			if (n == 0 && strspn(p, "\n") == (size_t)(end - p))
				break;
			if (doc->nvmas == cap_v) {
				cap_v = cap_v ? cap_v * 2 : 256;
				doc->vmas = xrealloc(doc->vmas, cap_v * sizeof(*doc->vmas));
			}
			*le = '\0';
			if (vmi_parse_vma_line(p, n, &doc->vmas[doc->nvmas])) {
				snprintf(err, errlen, "line %zu: not a VMA line", lineno);
				vmi_doc_free(doc);
				return -1;
			}
			doc->nvmas++;
		}
		p = le + 1;
	}
	if (!vmi_hdr(doc, "pid") || !vmi_hdr(doc, "format")) {
		snprintf(err, errlen, "%s", doc->truncated && !doc->nhdr ?
			 "input ends before the header" : "header has no pid or format");
		vmi_doc_free(doc);
		return -1;
	}
	doc->kthread = vmi_hdr(doc, "mm") != NULL;
	return 0;
}
