/* SPDX-License-Identifier: GPL-2.0 */
/* vmainfo CLI: the parsed form of /proc/vmainfo/<pid> and shared helpers. */
#ifndef VMAINFO_CLI_H
#define VMAINFO_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses (documented in Documentation/vmainfo.1.rst). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* other failure (I/O, bad data) */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOMODULE = 3,	/* vmainfo.ko not loaded */
	EXIT_NOPROC = 4,	/* no such process */
	EXIT_PERM = 5,		/* permission denied */
	EXIT_KTHREAD = 6,	/* kernel thread: no address space */
	EXIT_VERSION = 7,	/* module format not understood */
};

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

/* pagemap.c: the debugfs page map */
enum { PM_NONE, PM_PRESENT, PM_HUGE, PM_SWAP };

struct pm_run {
	unsigned long start, end, pages;
	int state;
	char flags[64];
};

struct pm_vma {
	unsigned long start, end;
	char perms[5], kind[24];
	struct pm_run *runs;
	size_t nruns, cap;
};

struct pm_doc {
	struct pm_vma *vmas;
	size_t nvmas;
};

int pm_parse(const char *text, size_t len, struct pm_doc *pm);
void pm_free(struct pm_doc *pm);
const char *pm_state_name(int state);

/* parse.c */
int vmi_parse(const char *text, size_t len, struct vmi_doc *doc, char *err, size_t errlen);
void vmi_doc_free(struct vmi_doc *doc);
const char *vmi_hdr(const struct vmi_doc *doc, const char *key);
bool vmi_hdr_ul(const struct vmi_doc *doc, const char *key, unsigned long *out);
int vmi_parse_vma_line(char *line, size_t len, struct vmi_vma *v);
void vmi_vma_free(struct vmi_vma *v);

/* util.c */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);
int read_all(int fd, char **buf, size_t *len);
void human_size(unsigned long long bytes, char *out, size_t outlen);

/* json.c */
/* JSON type of a header key (json.c's table; Documentation/vmainfo.1.rst). */
enum vmi_jtype {
	VMI_J_UNKNOWN,	/* not in the table (a newer module): string as printed */
	VMI_J_STR,	/* string, as the module prints it */
	VMI_J_HEX,	/* address: "0x..." string */
	VMI_J_UINT,	/* unsigned integer, no unit */
	VMI_J_PAGES,	/* unsigned integer, "N pages" */
	VMI_J_BYTES,	/* unsigned integer, "N bytes" */
	VMI_J_SBYTES,	/* signed integer, "[-]N bytes" */
};
enum vmi_jtype vmi_key_jtype(const char *key);
void json_str(FILE *f, const char *s);
void json_str_n(FILE *f, const char *s, size_t n);
int json_doc(FILE *f, const struct vmi_doc *doc);

/* watch.c */
int watch_main(int argc, char **argv);

/* render.c */
struct render_opts {
	bool color;
	int width;
};
void render_doc(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		const struct render_opts *o);
void render_heap(FILE *f, const struct vmi_doc *doc, const struct pm_doc *pm,
		 const struct render_opts *o);
void render_pages(FILE *f, const struct pm_doc *pm, const struct render_opts *o);
void json_pages(FILE *f, const struct pm_doc *pm);
void json_table(FILE *f, const char *text);

#endif
