// SPDX-License-Identifier: GPL-2.0
/* JSON output (schema: Documentation/vmainfo.1.rst).  Addresses are "0x..." strings. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void json_str(FILE *f, const char *s)
{
	json_str_n(f, s, strlen(s));
}

void json_str_n(FILE *f, const char *s, size_t n)
{
	const char *end = s + n, *span = s;

	putc_unlocked('"', f);
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f)
			continue;
		fwrite_unlocked(span, 1, (size_t)(s - span), f);
		span = s + 1;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fprintf(f, "\\u%04x", c);
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

/* Header keys printed as "0x..." strings (addresses); the rest as numbers or strings. */
static bool is_addr_key(const char *v)
{
	return !strncmp(v, "0x", 2);
}

void json_doc(FILE *f, const struct vmi_doc *doc)
{
	size_t i;

	fputs("{\"mm\":{", f);
	for (i = 0; i < doc->nhdr; i++) {
		const char *k = doc->hdr[i].key, *v = doc->hdr[i].value;
		char *end;
		unsigned long long n;

		if (i)
			fputc(',', f);
		json_str(f, k);
		fputc(':', f);
		n = strtoull(v, &end, 10);
		if (is_addr_key(v) || end == v || !strcmp(k, "comm") ||
		    (*end && strcmp(end, " pages") && strcmp(end, " bytes")))
			json_str(f, v);
		else
			fprintf(f, "%llu", n);
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
