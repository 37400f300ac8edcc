/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmainfo: what the module's text files promise to readers.  Shared by the
 * module and the userspace CLI; no kernel types, no kernel pointers.
 */
#ifndef _VMAINFO_ABI_H
#define _VMAINFO_ABI_H

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
 * line, a line of column names, one line per VMA and a last "rollup" line.
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
	X(view,			WORD)	/* "vmas"; "compare" for two processes */ \
	X(unit,			WORD)	/* "kB" */	\
	X(absent,		WORD)	/* vmas only: columns printed as "-", and why */

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

#endif /* _VMAINFO_ABI_H */
