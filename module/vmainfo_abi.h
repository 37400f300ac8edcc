/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmainfo: what the module's text files promise to readers.  Shared by the
 * module and the userspace CLI; no kernel types, no kernel pointers.
 */
#ifndef _VMAINFO_ABI_H
#define _VMAINFO_ABI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped on any incompatible change of /proc/vmainfo/<pid> or the debugfs files. */
#define VMAINFO_FORMAT_VERSION 1

/* Where the module publishes. */
#define VMAINFO_PROC_DIR	"vmainfo"		/* /proc/vmainfo/<pid>, /proc/vmainfo/self */
#define VMAINFO_DEBUGFS_DIR	"vmainfo"		/* /sys/kernel/debug/vmainfo/ */

/*
 * VMA kinds, the 7th column of a VMA line.  Order of the decision is
 * documented in Documentation/proc-vmainfo.rst.
 */
#define VMAINFO_KINDS(X)			\
	X(TEXT,		"text")			\
	X(DATA,		"data")			\
	X(BSS,		"bss")			\
	X(HEAP,		"heap")			\
	X(STACK,	"stack")		\
	X(THREAD_STACK,	"thread-stack")		\
	X(VDSO,		"vdso")			\
	X(VVAR,		"vvar")			\
	X(VSYSCALL,	"vsyscall")		\
	X(SPECIAL,	"special")		\
	X(ANON_PRIVATE,	"anon-private")		\
	X(ANON_SHARED,	"anon-shared")		\
	X(FILE_PRIVATE,	"file-private")		\
	X(FILE_SHARED,	"file-shared")

#define VMAINFO_KIND_ENUM(e, s) VMAINFO_KIND_##e,
enum vmainfo_kind { VMAINFO_KINDS(VMAINFO_KIND_ENUM) VMAINFO_KIND_NR };
#undef VMAINFO_KIND_ENUM

/*
 * The header of /proc/vmainfo/<pid>: "key: value" lines, in the order the
 * module prints them (module/format.c), each with the type of its value.
 * The CLI types its JSON from this table (userspace/json.c); a key it does
 * not know is kept as printed.  Adding a key: one line here, one print call
 * in vmi_show_header() (format.c), its line in the unit tests' full header
 * (tests/unit/parse_test.c checks both) and in Documentation/proc-vmainfo.rst.
 *
 * Value types: how the module prints a value and what JSON the CLI makes.
 *   WORD    text as printed ("single", "6.12.0-1")   -> JSON string
 *   HEX     "0x" and lowercase hex, an address       -> JSON "0x..." string
 *   UDEC    unsigned decimal, no unit                -> JSON number
 *   SDEC    signed decimal, no unit                  -> JSON number
 *   BYTES   unsigned decimal and " bytes"            -> JSON number
 *   SBYTES  signed decimal and " bytes"              -> JSON number
 *   PAGES   unsigned decimal and " pages"            -> JSON number
 */
#define VMAINFO_VTYPES(X)			\
	X(WORD,		0, "")			\
	X(HEX,		0, "")			\
	X(UDEC,		0, "")			\
	X(SDEC,		1, "")			\
	X(BYTES,	0, " bytes")		\
	X(SBYTES,	1, " bytes")		\
	X(PAGES,	0, " pages")

#define VMAINFO_VTYPE_ENUM(t, sign, unit) VMAINFO_V_##t,
enum vmainfo_vtype { VMAINFO_VTYPES(VMAINFO_VTYPE_ENUM) VMAINFO_V_NR };
#undef VMAINFO_VTYPE_ENUM

#define VMAINFO_HDR_KEYS(X)			\
	X(pid,			UDEC)		\
	X(comm,			WORD)		\
	X(kernel,		WORD)		\
	X(format,		UDEC)		\
	X(mm,			WORD)	/* "none (kernel thread)", then no more keys */ \
	X(start_code,		HEX)		\
	X(end_code,		HEX)		\
	X(start_data,		HEX)		\
	X(end_data,		HEX)		\
	X(start_brk,		HEX)		\
	X(brk,			HEX)		\
	X(heap_size,		BYTES)		\
	X(brk_offset,		SBYTES)	/* a static PIE's brk can start below its data */ \
	X(heap_vmas,		UDEC)		\
	X(heap_layout,		WORD)	/* empty, unmapped, merged, split, single */ \
	X(start_stack,		HEX)		\
	X(arg_start,		HEX)		\
	X(arg_end,		HEX)		\
	X(env_start,		HEX)		\
	X(env_end,		HEX)		\
	X(mmap_base,		HEX)		\
	X(task_size,		HEX)		\
	X(total_vm,		PAGES)		\
	X(locked_vm,		PAGES)		\
	X(pinned_vm,		PAGES)		\
	X(data_vm,		PAGES)		\
	X(exec_vm,		PAGES)		\
	X(stack_vm,		PAGES)		\
	X(map_count,		UDEC)		\
	X(threads,		UDEC)		\
	X(hiwater_rss,		PAGES)		\
	X(hiwater_vm,		PAGES)		\
	X(rss_anon,		PAGES)		\
	X(rss_file,		PAGES)		\
	X(rss_shmem,		PAGES)		\
	X(swap_ents,		PAGES)		\
	X(pgtables_bytes,	BYTES)		\
	X(pte_tables,		UDEC)		\
	X(pmd_tables,		UDEC)		\
	X(pud_tables,		UDEC)		\
	X(p4d_tables,		UDEC)		\
	X(thp_deposited_tables,	UDEC)		\
	X(paging_levels,	UDEC)

/*
 * The tables as data, for whoever prints or parses them:
 *   static const struct vmainfo_vtype_def t[] = { VMAINFO_VTYPES(VMAINFO_VTYPE_INIT) };
 *   static const struct vmainfo_key_def k[] = { VMAINFO_HDR_KEYS(VMAINFO_KEY_INIT) };
 * t is indexed by enum vmainfo_vtype, k by enum vmainfo_hdr_key.
 */
struct vmainfo_vtype_def {
	unsigned char sign;	/* a signed number */
	const char *unit;	/* after the number: "", " bytes", " pages" */
};
#define VMAINFO_VTYPE_INIT(t, s, u) [VMAINFO_V_##t] = { .sign = (s), .unit = (u) },

struct vmainfo_key_def {
	const char *name;
	enum vmainfo_vtype type;
};
#define VMAINFO_KEY_INIT(key, t) [VMAINFO_HDR_##key] = { .name = #key, .type = VMAINFO_V_##t },

#define VMAINFO_HDR_ENUM(key, type) VMAINFO_HDR_##key,
enum vmainfo_hdr_key { VMAINFO_HDR_KEYS(VMAINFO_HDR_ENUM) VMAINFO_HDR_NR };
#undef VMAINFO_HDR_ENUM

/*
 * The page map (/sys/kernel/debug/vmainfo/pagemap): the state of a run of
 * pages (3rd column) and its flags (4th column, comma-separated names in
 * bit order, "-" for none).
 */
#define VMAINFO_PAGE_STATES(X)						\
	X(NONE,		"none")		/* pte_none / no table */		\
	X(PRESENT,	"present")	/* present base page */			\
	X(HUGE,		"huge")		/* present, mapped by a PMD or PUD leaf */ \
	X(SWAP,		"swap")		/* non-present: swap, migration, marker */

#define VMAINFO_PAGE_FLAGS(X)						\
	X(DIRTY,	0, "dirty")					\
	X(YOUNG,	1, "young")					\
	X(WRITE,	2, "write")					\
	X(SOFTDIRTY,	3, "softdirty")					\
	X(ZERO,		4, "zero")	/* the shared zero page */

#define VMAINFO_PAGE_STATE_ENUM(e, s) VMAINFO_PAGE_##e,
enum vmainfo_page_state { VMAINFO_PAGE_STATES(VMAINFO_PAGE_STATE_ENUM) VMAINFO_PAGE_NR };
#undef VMAINFO_PAGE_STATE_ENUM

#define VMAINFO_PF_ENUM(e, bit, s) VMAINFO_PF_##e = 1U << (bit),
enum vmainfo_page_flag { VMAINFO_PAGE_FLAGS(VMAINFO_PF_ENUM) };
#undef VMAINFO_PF_ENUM
#define VMAINFO_PF_OR(e, bit, s) | VMAINFO_PF_##e
#define VMAINFO_PF_MASK (0U VMAINFO_PAGE_FLAGS(VMAINFO_PF_OR))

/* The longest flag list the page map prints: every name and a comma each. */
#define VMAINFO_PF_LEN(e, bit, s) + sizeof(s)
#define VMAINFO_PF_NAMES_MAX (0 VMAINFO_PAGE_FLAGS(VMAINFO_PF_LEN))

/*
 * /proc/vmainfo/share and /sys/kernel/debug/vmainfo/share: write "PID", read
 * a header of "key: value" lines (typed as VMAINFO_VTYPES above), a blank
 * line, a line of column names, one line per VMA and a last "rollup" line
 * (written "PID rollup": view "rollup", the last line alone).
 * Each line is "start-end perms" and then the columns below, in this order,
 * in kB (decimal), or "-" for a column this kernel or module cannot give
 * exactly (listed by the "absent" key).  The second field of each column is
 * the /proc/PID/smaps (and smaps_rollup) key whose value it is, "" for ours.
 * Documentation/proc-vmainfo.rst defines each one.
 */
#define VMAINFO_SHARE_HDR_KEYS(X)		\
	X(pid,			UDEC)		\
	X(comm,			WORD)		\
	X(pid2,			UDEC)	/* compare only: the second process */ \
	X(comm2,		WORD)	/* compare only */	\
	X(kernel,		WORD)		\
	X(format,		UDEC)		\
	X(view,			WORD)	/* "vmas"; "rollup"; "compare" for two processes */ \
	X(unit,			WORD)	/* "kB" */	\
	X(absent,		WORD)	/* vmas and rollup: columns printed as "-", and why */

#define VMAINFO_SHARE_COLS(X)				\
	X(rss,			"Rss")			\
	X(pss,			"Pss")			\
	X(pss_dirty,		"Pss_Dirty")		\
	X(pss_anon,		"Pss_Anon")		\
	X(pss_file,		"Pss_File")		\
	X(pss_shmem,		"Pss_Shmem")		\
	X(shared_clean,		"Shared_Clean")		\
	X(shared_dirty,		"Shared_Dirty")		\
	X(private_clean,	"Private_Clean")	\
	X(private_dirty,	"Private_Dirty")	\
	X(referenced,		"Referenced")		\
	X(anonymous,		"Anonymous")		\
	X(ksm,			"KSM")			\
	X(lazyfree,		"LazyFree")		\
	X(anon_huge,		"AnonHugePages")	\
	X(shmem_pmd,		"ShmemPmdMapped")	\
	X(file_pmd,		"FilePmdMapped")	\
	X(shared_hugetlb,	"Shared_Hugetlb")	\
	X(private_hugetlb,	"Private_Hugetlb")	\
	X(swap,			"Swap")			\
	X(swap_pss,		"SwapPss")		\
	X(locked,		"Locked")		\
	X(uss,			"")	/* Private_Clean + Private_Dirty */ \
	X(anon_excl,		"")	/* anon, pagemap bit 56 set */ \
	X(anon_cow,		"")	/* anon, bit 56 clear: shared copy-on-write */ \
	X(zero,			"")	/* the shared zero page (and huge zero page) */

#define VMAINFO_SHARE_HDR_ENUM(key, type) VMAINFO_SHARE_HDR_##key,
enum vmainfo_share_hdr_key { VMAINFO_SHARE_HDR_KEYS(VMAINFO_SHARE_HDR_ENUM) VMAINFO_SHARE_HDR_NR };
#undef VMAINFO_SHARE_HDR_ENUM

#define VMAINFO_SHARE_COL_ENUM(name, smaps) VMAINFO_SHARE_##name,
enum vmainfo_share_col { VMAINFO_SHARE_COLS(VMAINFO_SHARE_COL_ENUM) VMAINFO_SHARE_NR };
#undef VMAINFO_SHARE_COL_ENUM

/* { name, smaps key } for each column, indexed by enum vmainfo_share_col */
struct vmainfo_share_col_def {
	const char *name;
	const char *smaps;
};
#define VMAINFO_SHARE_COL_INIT(n, k) [VMAINFO_SHARE_##n] = { .name = #n, .smaps = k },

/*
 * Write "PID1 PID2" to the share file instead: the "compare" view of two
 * processes (view: compare, unit: pages).  Header keys as above (pid, comm,
 * pid2, comm2, kernel, format, view, unit), a blank line, the names line,
 * one line per VMA of the first process and the "rollup" line, each
 * "start-end perms" and these columns, in pages, in this order.  A page is
 * one the process maps with a present entry (a PTE, or its part of a PMD
 * or hugetlb entry) at that address.
 */
#define VMAINFO_COMPARE_COLS(X)						\
	X(shared)	/* both map the same frame here (not the zero page) */	\
	X(copied)	/* both map a page here, on different frames */		\
	X(only_first)	/* only the first process maps a page here */		\
	X(only_second)	/* only the second does */				\
	X(zero)		/* both map the zero page or the huge zero page */

#define VMAINFO_COMPARE_COL_ENUM(name) VMAINFO_COMPARE_##name,
enum vmainfo_compare_col { VMAINFO_COMPARE_COLS(VMAINFO_COMPARE_COL_ENUM) VMAINFO_COMPARE_NR };
#undef VMAINFO_COMPARE_COL_ENUM
/* static const char *const names[] = { VMAINFO_COMPARE_COLS(VMAINFO_COMPARE_COL_NAME) }; */
#define VMAINFO_COMPARE_COL_NAME(n) [VMAINFO_COMPARE_##n] = #n,

/*
 * The ioctls of /proc/vmainfo/<pid>, /proc/vmainfo/self and the two query
 * files (module/query.c, Documentation/proc-vmainfo.rst "The ioctls").
 *
 * VMAINFO_PROCMAP_QUERY is the kernel's PROCMAP_QUERY (<linux/fs.h>, 6.11+):
 * the same number, structure, flags, size versioning and errors, so a program
 * written for /proc/PID/maps works on our file descriptors, also on kernels
 * (6.1) and libcs whose headers lack it.  The definitions below are a copy
 * under our own names; where <linux/fs.h> has the kernel's, the asserts at
 * the end of this file check that the two agree.
 */
#define VMAINFO_PROCFS_IOCTL_MAGIC	'f'		/* PROCFS_IOCTL_MAGIC */

enum vmainfo_procmap_query_flags {
	VMAINFO_PMQ_VMA_READABLE	= 0x01,	/* PROCMAP_QUERY_VMA_READABLE */
	VMAINFO_PMQ_VMA_WRITABLE	= 0x02,
	VMAINFO_PMQ_VMA_EXECUTABLE	= 0x04,
	VMAINFO_PMQ_VMA_SHARED		= 0x08,
	VMAINFO_PMQ_COVERING_OR_NEXT_VMA = 0x10,
	VMAINFO_PMQ_FILE_BACKED_VMA	= 0x20,
};
#define VMAINFO_PMQ_VALID_FLAGS		0x3f

/* struct procmap_query, field for field (in: size..query_addr, names, build IDs). */
struct vmainfo_procmap_query {
	__u64 size;		/* in: sizeof what the caller passes */
	__u64 query_flags;	/* in: enum vmainfo_procmap_query_flags */
	__u64 query_addr;	/* in */
	__u64 vma_start;	/* out */
	__u64 vma_end;		/* out */
	__u64 vma_flags;	/* out: VMAINFO_PMQ_VMA_* */
	__u64 vma_page_size;	/* out */
	__u64 vma_offset;	/* out */
	__u64 inode;		/* out */
	__u32 dev_major;	/* out */
	__u32 dev_minor;	/* out */
	__u32 vma_name_size;	/* in/out */
	__u32 build_id_size;	/* in/out */
	__u64 vma_name_addr;	/* in */
	__u64 build_id_addr;	/* in */
};
#define VMAINFO_PROCMAP_QUERY	\
	_IOWR(VMAINFO_PROCFS_IOCTL_MAGIC, 17, struct vmainfo_procmap_query)

/*
 * vmainfo's tail: pass size = sizeof(struct vmainfo_query) (or any size that
 * covers the fields wanted) to VMAINFO_PROCMAP_QUERY on a vmainfo file.  Each
 * field is computed only when the caller's size covers it; the page counts
 * (a page-table walk of the VMA) only then.  The kernel's own ioctl refuses
 * such a size unless the bytes after struct procmap_query are zero (E2BIG),
 * and then leaves them as they are.
 */
struct vmainfo_query {
	struct vmainfo_procmap_query pmq;
	__u32 kind;		/* out: enum vmainfo_kind, the text's 7th column */
	__u32 reserved;		/* out: 0 */
	__u64 vm_flags;		/* out: the VMA's vm_flags, raw (the kernel's bits) */
	__u64 present;		/* out: the text's present column, pages */
	__u64 swap;		/* out: its swap column */
	__u64 huge;		/* out: its huge column */
};
#define VMAINFO_QUERY_SIZE_VER0	104	/* struct procmap_query alone */
#define VMAINFO_QUERY_SIZE_VER1	144	/* with the tail above */

/*
 * Many answers per call: VMAINFO_QUERY_BATCH.  Either every VMA from addr on,
 * in address order (as repeated PROCMAP_QUERY_COVERING_OR_NEXT_VMA queries,
 * query_flags' filters applied), or, with VMAINFO_BATCH_ADDRS, one answer
 * per address of the array at addrs_addr, each exactly as a single query
 * with query_flags would give it.  Each answer is a record of rec_size bytes
 * at recs_addr (struct vmainfo_query, size-versioned like a single query's
 * size; at least VMAINFO_QUERY_SIZE_VER0, a multiple of 8); an address that
 * no VMA answers (ENOENT for a single query) gets a record with vma_end 0.
 * With VMAINFO_BATCH_NAMES and _BUILD_IDS, names (NUL-terminated) and build
 * IDs go into the one buffer at data_addr, and each record's vma_name_addr,
 * vma_name_size, build_id_addr and build_id_size say where (sizes as a single
 * query gives them; 0: none).  The call returns the number of records
 * filled, also in filled; a short count means: the end of the address space
 * (VMAINFO_BATCH_END, iteration), or the data buffer is full
 * (VMAINFO_BATCH_DATA_FULL).  Resume at next_addr (iteration) or at the
 * address of index filled (array).
 *
 * VMAINFO_BATCH_INDEX (with VMAINFO_BATCH_ADDRS alone and rec_size exactly
 * VMAINFO_QUERY_SIZE_VER0: procmap_query's fields) lets the open file keep
 * an index of the process's VMAs for this and later calls: the same
 * answers, by a binary search in memory of the file's own, without the mmap
 * lock, as long as no mmap_write_lock() of the process came since it was
 * built (its write sequence, mm_lock_seq, has not moved; kernels that have
 * it as a seqcount: 6.12 (Debian's), 7.x).  VMAINFO_BATCH_INDEXED says that
 * every record of the call came from it.  Elsewhere the flag is accepted
 * and the answers come from the tree, as without it.
 */
#define VMAINFO_IOCTL_MAGIC	0xB9

enum vmainfo_batch_flags {
	VMAINFO_BATCH_ADDRS	= 0x1,	/* in: answer the addresses at addrs_addr */
	VMAINFO_BATCH_NAMES	= 0x2,	/* in: names into the data buffer */
	VMAINFO_BATCH_BUILD_IDS	= 0x4,	/* in: build IDs into the data buffer */
	VMAINFO_BATCH_INDEX	= 0x8,	/* in: answer from (and keep) the file's VMA index */
};
#define VMAINFO_BATCH_VALID_FLAGS	0xf

enum vmainfo_batch_out {
	VMAINFO_BATCH_END	= 0x1,	/* out: no VMA after the last record */
	VMAINFO_BATCH_DATA_FULL	= 0x2,	/* out: stopped, the data buffer is full */
	VMAINFO_BATCH_INDEXED	= 0x4,	/* out: every record came from the VMA index */
};

struct vmainfo_query_batch {
	__u64 size;		/* in: sizeof(struct vmainfo_query_batch) */
	__u64 query_flags;	/* in: enum vmainfo_procmap_query_flags */
	__u64 batch_flags;	/* in: enum vmainfo_batch_flags */
	__u64 addr;		/* in: iteration: the first address */
	__u64 next_addr;	/* out: iteration: where to resume */
	__u64 addrs_addr;	/* in: VMAINFO_BATCH_ADDRS: rec_count __u64 addresses */
	__u64 recs_addr;	/* in: rec_count records of rec_size bytes */
	__u64 data_addr;	/* in: data_size bytes for names and build IDs, or 0 */
	__u32 rec_size;		/* in: bytes per record */
	__u32 rec_count;	/* in: records (addresses) at most */
	__u32 data_size;	/* in: bytes at data_addr; out: bytes used */
	__u32 filled;		/* out: records filled (the return value) */
	__u32 out_flags;	/* out: enum vmainfo_batch_out */
	__u32 reserved;		/* in: 0 */
};
#define VMAINFO_QUERY_BATCH_SIZE_VER0	88
#define VMAINFO_QUERY_BATCH	\
	_IOWR(VMAINFO_IOCTL_MAGIC, 1, struct vmainfo_query_batch)

_Static_assert(sizeof(struct vmainfo_procmap_query) == VMAINFO_QUERY_SIZE_VER0,
	       "struct procmap_query is 104 bytes");
_Static_assert(sizeof(struct vmainfo_query) == VMAINFO_QUERY_SIZE_VER1,
	       "struct vmainfo_query");
_Static_assert(sizeof(struct vmainfo_query_batch) == VMAINFO_QUERY_BATCH_SIZE_VER0,
	       "struct vmainfo_query_batch");

/* Where the kernel's definition is in scope (<linux/fs.h> of 6.11 and later). */
#ifdef PROCMAP_QUERY
#define VMAINFO_PMQ_SAME(f)						\
	_Static_assert(__builtin_offsetof(struct vmainfo_procmap_query, f) ==	\
		       __builtin_offsetof(struct procmap_query, f) &&		\
		       sizeof(((struct vmainfo_procmap_query *)0)->f) ==	\
		       sizeof(((struct procmap_query *)0)->f), #f)
VMAINFO_PMQ_SAME(size);
VMAINFO_PMQ_SAME(query_flags);
VMAINFO_PMQ_SAME(query_addr);
VMAINFO_PMQ_SAME(vma_start);
VMAINFO_PMQ_SAME(vma_end);
VMAINFO_PMQ_SAME(vma_flags);
VMAINFO_PMQ_SAME(vma_page_size);
VMAINFO_PMQ_SAME(vma_offset);
VMAINFO_PMQ_SAME(inode);
VMAINFO_PMQ_SAME(dev_major);
VMAINFO_PMQ_SAME(dev_minor);
VMAINFO_PMQ_SAME(vma_name_size);
VMAINFO_PMQ_SAME(build_id_size);
VMAINFO_PMQ_SAME(vma_name_addr);
VMAINFO_PMQ_SAME(build_id_addr);
#undef VMAINFO_PMQ_SAME
_Static_assert(sizeof(struct vmainfo_procmap_query) == sizeof(struct procmap_query) &&
	       (unsigned int)VMAINFO_PROCMAP_QUERY == (unsigned int)PROCMAP_QUERY &&
	       (int)VMAINFO_PMQ_VMA_READABLE == (int)PROCMAP_QUERY_VMA_READABLE &&
	       (int)VMAINFO_PMQ_VMA_WRITABLE == (int)PROCMAP_QUERY_VMA_WRITABLE &&
	       (int)VMAINFO_PMQ_VMA_EXECUTABLE == (int)PROCMAP_QUERY_VMA_EXECUTABLE &&
	       (int)VMAINFO_PMQ_VMA_SHARED == (int)PROCMAP_QUERY_VMA_SHARED &&
	       (int)VMAINFO_PMQ_COVERING_OR_NEXT_VMA == (int)PROCMAP_QUERY_COVERING_OR_NEXT_VMA &&
	       (int)VMAINFO_PMQ_FILE_BACKED_VMA == (int)PROCMAP_QUERY_FILE_BACKED_VMA,
	       "PROCMAP_QUERY as <linux/fs.h> has it");
#endif

#endif /* _VMAINFO_ABI_H */
