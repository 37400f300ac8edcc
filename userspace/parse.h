/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: the parsed form of /proc/vmainfo/<pid> (parse.c). */
#ifndef VMAINFO_PARSE_H
#define VMAINFO_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct vmi_kv {
	char *key;
	char *value;
};

struct vmi_vma {
	unsigned long start, end;
	char perms[5];
	unsigned long long pgoff;
	unsigned int dev_major, dev_minor;
	unsigned long inode;
	char *flags;		/* "rd,wr,mr" or "-" */
	char *kind;
	long long present, swap, huge;	/* pages; -1 when not given */
	char *path;		/* "" when none */
};

struct vmi_doc {
	char *text;		/* our copy of the input; VMA strings point into it */
	struct vmi_kv *hdr;
	size_t nhdr;
	struct vmi_vma *vmas;
	size_t nvmas;
	bool kthread;
	bool truncated;		/* input ended inside a line */
};

int vmi_parse(const char *text, size_t len, struct vmi_doc *doc, char *err, size_t errlen);
int vmi_parse_owned(char *text, size_t len, struct vmi_doc *doc, char *err, size_t errlen);
void vmi_doc_free(struct vmi_doc *doc);
const char *vmi_hdr(const struct vmi_doc *doc, const char *key);
bool vmi_hdr_ul(const struct vmi_doc *doc, const char *key, unsigned long *out);
int vmi_parse_vma_line(char *line, size_t len, struct vmi_vma *v);
void vmi_vma_free(struct vmi_vma *v);

#endif
