// SPDX-License-Identifier: GPL-2.0
/* JSON output (schema: Documentation/vmainfo.1.rst).  Addresses are "0x..." strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "jsonout.h"
#include "util.h"

void json_str(FILE *f, const char *s)
{
	json_str_n(f, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * A JSON string of @n bytes: '"' and '\\' escaped, control characters as
 * \u00XX, valid UTF-8 kept, and each byte that is not part of valid UTF-8
 * written as the four characters \ooo (octal; "\\ooo" in JSON), so the output
 * is valid JSON (UTF-8) and the bytes can be recovered.
 */
void json_str_n(FILE *f, const char *s, size_t n)
{
	const char *end = s + n, *span = s;

	putc_unlocked('"', f);
	while (s < end) {
		unsigned char c = (unsigned char)*s;
		size_t u = 1;

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f &&
		    (c < 0x80 || (u = utf8_len((const unsigned char *)s, (size_t)(end - s))))) {
			s += u;
			continue;
		}
		fwrite_unlocked(span, 1, (size_t)(s - span), f);
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x80)
			fprintf(f, "\\u%04x", c);
		else
			fprintf(f, "\\\\%03o", c);
		span = ++s;
	}
	fwrite_unlocked(span, 1, (size_t)(s - span), f);
	putc_unlocked('"', f);
}

static void json_flags(FILE *f, const char *flags)
{
	const char *p = flags;
	bool first = true;

	fputc('[', f);
	while (*p && strcmp(flags, "-")) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		fprintf(f, "%s\"%.*s\"", first ? "" : ",", (int)n, p);
		first = false;
		p += n;
		if (*p)
			p++;
	}
	fputc(']', f);
}

/* Every header key and its value type: vmainfo_abi.h, as the module prints them. */
static const struct vmainfo_key_def key_defs[] = { VMAINFO_HDR_KEYS(VMAINFO_KEY_INIT) };
static const struct vmainfo_vtype_def vtypes[] = { VMAINFO_VTYPES(VMAINFO_VTYPE_INIT) };

int vmi_key_type(const char *key)
{
	for (size_t i = 0; i < sizeof(key_defs) / sizeof(key_defs[0]); i++)
		if (!strcmp(key_defs[i].name, key))
			return (int)key_defs[i].type;
	return -1;
}

/* "[-]digits" then exactly @unit; signed only if @sign.  The digits in @num. */
static bool typed_number(const char *v, bool sign, const char *unit, char *num, size_t len)
{
	const char *p = v;
	size_t n;

	if (sign && *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	n = (size_t)(p - v);
	if (strcmp(p, unit) || n >= len || n > 20)
		return false;
	memcpy(num, v, n);
	num[n] = 0;
	errno = 0;
	if (sign)
		(void)strtoll(num, NULL, 10);
	else
		(void)strtoull(num, NULL, 10);
	return errno == 0;	/* in range of the kernel's long / unsigned long */
}

/*
 * One header value as its key's type.  Returns false (and prints null) when
 * the value does not fit the definition: a damaged or foreign text.
 */
static bool json_hdr_value(FILE *f, const char *key, const char *v)
{
	int t = vmi_key_type(key);
	char num[32];
	const char *p;

	switch (t) {
	case -1:		/* a key newer than this table: kept as printed */
	case VMAINFO_V_WORD:
		json_str(f, v);
		return true;
	case VMAINFO_V_HEX:
		if (strncmp(v, "0x", 2))
			break;
		for (p = v + 2; *p && strchr("0123456789abcdef", *p); p++)
			;
		if (p == v + 2 || *p || p - v > 18)
			break;
		json_str(f, v);
		return true;
	default:		/* a number, maybe signed, maybe with a unit */
		if (!typed_number(v, vtypes[t].sign, vtypes[t].unit, num, sizeof(num)))
			break;
		fputs(num, f);
		return true;
	}
	fputs("null", f);
	return false;
}

int json_doc(FILE *f, const struct vmi_doc *doc)
{
	int bad = 0;
	size_t i;

	fputs("{\"mm\":{", f);
	for (i = 0; i < doc->nhdr; i++) {
		const char *k = doc->hdr[i].key, *v = doc->hdr[i].value;

		if (i)
			fputc(',', f);
		json_str(f, k);
		fputc(':', f);
		if (!json_hdr_value(f, k, v)) {
			fprintf(stderr, "vmainfo: header %s: value \"%s\" is not of the key's type\n",
				k, v);
			bad++;
		}
	}
	fputs("},\"vmas\":[", f);
	for (i = 0; i < doc->nvmas; i++) {
		const struct vmi_vma *v = &doc->vmas[i];

		fprintf(f, "%s{\"start\":\"0x%lx\",\"end\":\"0x%lx\",\"size\":%lu,\"perms\":\"%s\","
			"\"pgoff\":\"0x%llx\",\"dev\":\"%02x:%02x\",\"inode\":%lu,\"path\":",
			i ? "," : "", v->start, v->end, v->end - v->start, v->perms,
			v->pgoff, v->dev_major, v->dev_minor, v->inode);
		json_str(f, v->path);
		fputs(",\"kind\":", f);
		json_str(f, v->kind);
		fputs(",\"flags\":", f);
		json_flags(f, v->flags);
		fprintf(f, ",\"present\":%lld,\"swap\":%lld,\"huge\":%lld}",
			v->present, v->swap, v->huge);
	}
	fprintf(f, "],\"truncated\":%s}\n", doc->truncated ? "true" : "false");
	return bad ? -1 : 0;
}

static bool is_number(const char *s, size_t n)
{
	size_t i = 0;

	if (n && s[0] == '-')
		i++;
	if (i == n)
		return false;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void json_tok(FILE *f, const char *s, size_t n)
{
	char *t = xstrndup(s, n);

	if (is_number(s, n))
		fputs(t, f);
	else
		json_str(f, t);
	free(t);
}

/*
 * The debugfs tables (counters, stats, layout): "key: value" lines, a blank
 * line, a line of column names, then rows whose last column takes the rest
 * of the line.  Out: {"key": value, ..., "rows": [{"col": value, ...}, ...]}.
 */
void json_table(FILE *f, const char *text)
{
	const char *p = text, *cols[16];
	size_t colen[16], ncols = 0, nrows = 0;
	bool header = true, first = true;

	fputc('{', f);
	while (*p) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p);

		if (header) {
			const char *c = memchr(p, ':', (size_t)(e - p));

			if (p == e) {
				header = false;
			} else if (c && c + 1 < e && c[1] == ' ') {
				fputs(first ? "" : ",", f);
				first = false;
				json_str_n(f, p, (size_t)(c - p));
				fputc(':', f);
				json_tok(f, c + 2, (size_t)(e - c - 2));
			}
		} else if (!ncols) {
			const char *q = p;

			while (q < e && ncols < 16) {
				while (q < e && *q == ' ')
					q++;
				if (q == e)
					break;
				cols[ncols] = q;
				while (q < e && *q != ' ')
					q++;
				colen[ncols] = (size_t)(q - cols[ncols]);
				ncols++;
			}
			fprintf(f, "%s\"rows\":[", first ? "" : ",");
			first = false;
		} else if (p != e) {
			const char *q = p;

			fprintf(f, "%s{", nrows++ ? "," : "");
			for (size_t i = 0; i < ncols; i++) {
				const char *tok;
				size_t tl;

				while (q < e && *q == ' ')
					q++;
				tok = q;
				if (i == ncols - 1)
					q = e;
				else
					while (q < e && *q != ' ')
						q++;
				tl = (size_t)(q - tok);
				fputs(i ? "," : "", f);
				json_str_n(f, cols[i], colen[i]);
				fputc(':', f);
				json_tok(f, tok, tl);
			}
			fputc('}', f);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (ncols)
		fputc(']', f);
	fputs("}\n", f);
}

void json_pages(FILE *f, const struct pm_doc *pm)
{
	fputs("{\"vmas\":[", f);
	for (size_t i = 0; i < pm->nvmas; i++) {
		const struct pm_vma *v = &pm->vmas[i];

		fprintf(f, "%s{\"start\":\"0x%lx\",\"end\":\"0x%lx\",\"perms\":\"%s\",\"kind\":",
			i ? "," : "", v->start, v->end, v->perms);
		json_str(f, v->kind);
		fputs(",\"runs\":[", f);
		for (size_t j = 0; j < v->nruns; j++) {
			const struct pm_run *r = &v->runs[j];

			fprintf(f, "%s{\"start\":\"0x%lx\",\"end\":\"0x%lx\",\"pages\":%lu,"
				"\"state\":\"%s\",\"flags\":", j ? "," : "", r->start, r->end,
				r->pages, pm_state_name(r->state));
			json_flags(f, r->flags);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
}
