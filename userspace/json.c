// SPDX-License-Identifier: GPL-2.0
/* JSON output (schema: Documentation/vmainfo.1.rst).  Addresses are "0x..." strings. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
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
		if (is_addr_key(v) || end == v || (*end && strcmp(end, " pages") &&
						   strcmp(end, " bytes")))
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
