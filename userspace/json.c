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
void ob_json_str(struct obuf *o, const char *s, size_t n)
{
	const char *end = s + n, *span = s;

	ob_c(o, '"');
	while (s < end) {
		unsigned char c = (unsigned char)*s;
		size_t u = 1;

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f &&
		    (c < 0x80 || (u = utf8_len((const unsigned char *)s, (size_t)(end - s))))) {
			s += u;
			continue;
		}
		ob_put(o, span, (size_t)(s - span));
		if (c == '"' || c == '\\') {
			ob_c(o, '\\');
			ob_c(o, (char)c);
		} else if (c < 0x80) {
			ob_lit(o, "\\u");
			ob_hex(o, c, 4);
		} else {
			char oct[5] = { '\\', '\\', (char)('0' + (c >> 6)),
					(char)('0' + (c >> 3 & 7)), (char)('0' + (c & 7)) };

			ob_put(o, oct, sizeof(oct));
		}
		span = ++s;
	}
	ob_put(o, span, (size_t)(s - span));
	ob_c(o, '"');
}

void json_str_n(FILE *f, const char *s, size_t n)
{
	char buf[256];
	struct obuf o = OBUF_INIT(f, buf);

	ob_json_str(&o, s, n);
	ob_flush(&o);
}

/* An object's start: [","]{"start":"0x...","end":"0x..." */
static void json_range(struct obuf *o, bool comma, unsigned long start, unsigned long end)
{
	if (comma)
		ob_c(o, ',');
	ob_lit(o, "{\"start\":\"0x");
	ob_hex(o, start, 0);
	ob_lit(o, "\",\"end\":\"0x");
	ob_hex(o, end, 0);
	ob_c(o, '"');
}

/* "rd,wr,mr" as ["rd","wr","mr"]; "-" (none) as []. */
static void json_flags(struct obuf *o, const char *flags)
{
	const char *p = flags;

	ob_c(o, '[');
	if (*p && strcmp(flags, "-")) {
		ob_c(o, '"');
		for (; *p; p++) {
			if (*p != ',')
				ob_c(o, *p);
			else if (p[1])	/* a trailing comma ends the list */
				ob_lit(o, "\",\"");
		}
		ob_c(o, '"');
	}
	ob_c(o, ']');
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

int json_doc_head(FILE *f, const struct vmi_doc *doc)
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
	return bad ? -1 : 0;
}

void json_doc_tail(FILE *f, bool truncated)
{
	fprintf(f, "],\"truncated\":%s}\n", truncated ? "true" : "false");
}

/* The bytes a JSON string keeps as they are (ob_json_str()). */
static const unsigned char json_plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,	/* not '"', '\\' */
};

/*
 * ob_json_str() of the string @s (to its NUL) into a reservation of
 * 2 + 6 * strlen(@s) bytes.
 */
static char *put_json_str(char *w, const char *s)
{
	unsigned char c;

	*w++ = '"';
	while ((c = (unsigned char)*s)) {
		size_t u;

		if (json_plain[c]) {
			*w++ = (char)c;
			s++;
		} else if (c == '"' || c == '\\') {
			*w++ = '\\';
			*w++ = (char)c;
			s++;
		} else if (c < 0x80) {
			w = put_lit(w, "\\u");
			w = put_hex(w, c, 4);
			s++;
		} else if ((u = utf8_len((const unsigned char *)s, 4))) {	/* stops at the NUL */
			w = put_n(w, s, u);
			s += u;
		} else {
			*w++ = '\\';
			*w++ = '\\';
			*w++ = (char)('0' + (c >> 6));
			*w++ = (char)('0' + (c >> 3 & 7));
			*w++ = (char)('0' + (c & 7));
			s++;
		}
	}
	*w++ = '"';
	return w;
}

/* json_flags() into a reservation of 4 + 3 * strlen(@flags) bytes. */
static char *put_flags(char *w, const char *flags)
{
	const char *p = flags;

	*w++ = '[';
	if (*p && !(p[0] == '-' && !p[1])) {
		*w++ = '"';
		for (; *p; p++) {
			if (*p != ',')
				*w++ = *p;
			else if (p[1])	/* a trailing comma ends the list */
				w = put_lit(w, "\",\"");
		}
		*w++ = '"';
	}
	*w++ = ']';
	return w;
}

/* Bytes json_vma_put() writes at most for a VMA whose path, kind and flags have @strs bytes. */
#define JSON_VMA_MAX(strs)	(384 + 6 * (strs))

/* A VMA's object up to its size, after a comma unless it is the first (@comma false). */
static char *json_vma_head(char *w, const struct vmi_vma *v, bool comma)
{
	if (comma)
		*w++ = ',';
	w = put_lit(w, "{\"start\":\"0x");
	w = put_hex(w, v->start, 0);
	w = put_lit(w, "\",\"end\":\"0x");
	w = put_hex(w, v->end, 0);
	w = put_lit(w, "\",\"size\":");
	return put_dec(w, v->end - v->start);
}

/* The rest of the object: nothing of the range. */
static char *json_vma_tail(char *w, const struct vmi_vma *v)
{
	w = put_lit(w, ",\"perms\":\"");
	memcpy(w, v->perms, 4);
	w += 4;
	w = put_lit(w, "\",\"pgoff\":\"0x");
	w = put_hex(w, v->pgoff, 0);
	w = put_lit(w, "\",\"dev\":\"");
	w = put_hex(w, v->dev_major, 2);
	*w++ = ':';
	w = put_hex(w, v->dev_minor, 2);
	w = put_lit(w, "\",\"inode\":");
	w = put_dec(w, v->inode);
	w = put_lit(w, ",\"path\":");
	w = put_json_str(w, v->path);
	w = put_lit(w, ",\"kind\":");
	w = put_json_str(w, v->kind);
	w = put_lit(w, ",\"flags\":");
	w = put_flags(w, v->flags);
	w = put_lit(w, ",\"present\":");
	w = put_sdec(w, v->present);
	w = put_lit(w, ",\"swap\":");
	w = put_sdec(w, v->swap);
	w = put_lit(w, ",\"huge\":");
	w = put_sdec(w, v->huge);
	*w++ = '}';
	return w;
}

/*
 * One VMA's object; @m (may be NULL): the tails written for the reader's
 * memo, by slot, kept (and used again) for the line's @id (0: none).
 */
static char *json_vma_put(char *w, const struct vmi_vma *v, bool comma, struct json_memo *m,
			  unsigned int slot, unsigned long id)
{
	char *tail;

	if (!id)	/* not a line of the memo */
		m = NULL;
	w = json_vma_head(w, v, comma);
	if (m && m->id[slot] == id) {
		memcpy(w, m->tail[slot], m->len[slot]);
		return w + m->len[slot];
	}
	tail = w;
	w = json_vma_tail(w, v);
	if (m) {
		size_t n = (size_t)(w - tail);

		if (m->cap[slot] < n) {
			m->cap[slot] = 2 * n;
			m->tail[slot] = xrealloc(m->tail[slot], m->cap[slot]);
		}
		memcpy(m->tail[slot], tail, n);
		m->len[slot] = n;
		m->id[slot] = id;
	}
	return w;
}

void json_vma(struct obuf *o, const struct vmi_vma *v, size_t strs, bool comma,
	      struct json_memo *m, unsigned int slot, unsigned long id)
{
	size_t max = JSON_VMA_MAX(strs);
	char *tmp;

	if (max <= o->cap) {
		ob_commit(o, json_vma_put(ob_reserve(o, max), v, comma, m, slot, id));
		return;
	}
	tmp = xmalloc(max);	/* a path longer than the buffer */
	ob_put(o, tmp, (size_t)(json_vma_put(tmp, v, comma, m, slot, id) - tmp));
	free(tmp);
}

void json_memo_free(struct json_memo *m)
{
	for (unsigned int i = 0; i < VMI_MEMO; i++)
		free(m->tail[i]);
	memset(m, 0, sizeof(*m));
}

int json_doc(FILE *f, const struct vmi_doc *doc)
{
	static char buf[1 << 16];
	struct obuf o = OBUF_INIT(f, buf);
	int bad = json_doc_head(f, doc);
	size_t i;

	for (i = 0; i < doc->nvmas; i++) {
		const struct vmi_vma *v = &doc->vmas[i];

		json_vma(&o, v, strlen(v->path) + strlen(v->kind) + strlen(v->flags), i, NULL, 0, 0);
	}
	ob_flush(&o);
	json_doc_tail(f, doc->truncated);
	return bad;
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
	static char buf[1 << 16];
	struct obuf o = OBUF_INIT(f, buf);

	ob_lit(&o, "{\"vmas\":[");
	for (size_t i = 0; i < pm->nvmas; i++) {
		const struct pm_vma *v = &pm->vmas[i];

		json_range(&o, i, v->start, v->end);
		ob_lit(&o, ",\"perms\":\"");
		ob_str(&o, v->perms);
		ob_lit(&o, "\",\"kind\":");
		ob_json_str(&o, v->kind, strlen(v->kind));
		ob_lit(&o, ",\"runs\":[");
		for (size_t j = 0; j < v->nruns; j++) {
			const struct pm_run *r = &v->runs[j];

			json_range(&o, j, r->start, r->end);
			ob_lit(&o, ",\"pages\":");
			ob_dec(&o, r->pages);
			ob_lit(&o, ",\"state\":\"");
			ob_str(&o, pm_state_name(r->state));
			ob_lit(&o, "\",\"flags\":");
			json_flags(&o, r->flags);
			ob_c(&o, '}');
		}
		ob_lit(&o, "]}");
	}
	ob_lit(&o, "]}\n");
	ob_flush(&o);
}
