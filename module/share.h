/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmainfo: the share view's state, shared by its files: smaps.c (smaps'
 * accounting, entry by entry), compare.c (two processes compared) and
 * share.c (the text, the seq_file and the files).
 */
#ifndef VMAINFO_SHARE_H
#define VMAINFO_SHARE_H

#include <linux/mm_types.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include "vmainfo.h"

/* smaps' fixed point for Pss (fs/proc/task_mmu.c): 12 bits of fraction */
#define PSS_SHIFT 12

/* struct mem_size_stats of fs/proc/task_mmu.c, in bytes, plus ours */
struct vmi_mss {
	unsigned long resident;
	unsigned long shared_clean;
	unsigned long shared_dirty;
	unsigned long private_clean;
	unsigned long private_dirty;
	unsigned long referenced;
	unsigned long anonymous;
	unsigned long lazyfree;
	unsigned long anonymous_thp;
	unsigned long shmem_thp;
	unsigned long file_thp;
	unsigned long swap;
	unsigned long shared_hugetlb;
	unsigned long private_hugetlb;
	unsigned long ksm;
	u64 pss;
	u64 pss_anon;
	u64 pss_file;
	u64 pss_shmem;
	u64 pss_dirty;
	u64 pss_locked;
	/* not in smaps */
	unsigned long anon_excl;	/* present anon pages with pagemap bit 56 */
	unsigned long anon_cow;		/* present anon pages without it */
	unsigned long zero;		/* zero page and huge zero page mappings */
};

/* ---- compare.c: two processes compared, the state of one line ---- */

/* Pages at consecutive addresses on consecutive frames, or all on a zero page. */
struct vmi_cmp_run {
	unsigned long start, end;
	unsigned long pfn;		/* of start; never leaves the module */
	bool zero;
};

/* The first process's runs gathered under one hold of its lock: 48 KiB. */
#define VMI_CMP_RUNS	2048

struct vmi_cmp {
	struct vmi_cmp_run *runs;	/* VMI_CMP_RUNS, allocated at the selection */
	unsigned int n;			/* runs stored */
	unsigned int i;			/* the merge's cursor in runs[] */
	unsigned long done;		/* the first's pages below this are classified */
	unsigned long full;		/* where the first run that found no room began */
	unsigned long cnt[VMAINFO_COMPARE_NR];	/* the line's pages */
};

/* ---- share.c: the view ---- */

struct vmi_share_view {
	struct vmi_view v;
	struct vma_iterator iter;	/* under the lock, as format.c's */
	unsigned long next_pos;		/* where the line shown last ended */
	unsigned long from;		/* the record's position: its line starts there at the earliest */
	struct vmi_mss line;		/* the VMA line being shown */
	/* the rollup: what the lines added up to (smaps_rollup) */
	struct vmi_mss rollup;
	unsigned long first_start, rolled_end;
	bool any;
	bool rollup_only;		/* "PID rollup": no VMA line */
	/* "PID1 PID2": the compare view (the first process is v.t) */
	bool compare;
	struct vmi_target t2;		/* the second process, or none */
	struct vmi_cmp cmp;
	unsigned long cmp_rollup[VMAINFO_COMPARE_NR];
};

/* ---- smaps.c: smaps' accounting ---- */

/* The rollup alone: the VMAs a walk counted after its own (vmi_share_gather()) */
struct vmi_share_more {
	unsigned int vmas;
	unsigned long end;		/* where the last of them ends */
};

int vmi_share_gather(struct vmi_view *v, struct vm_area_struct *vma,
		     struct vmi_mss *mss, unsigned long start, bool *hole,
		     bool first, unsigned long *resume, struct vmi_share_more *more);

/* ---- compare.c: the compare view's text ---- */

void vmi_cmp_header(struct seq_file *m, struct vmi_share_view *sv);
int vmi_cmp_show_vma(struct seq_file *m, struct vmi_share_view *sv,
		     struct vm_area_struct *vma);
void vmi_cmp_line(struct seq_file *m, unsigned long start, unsigned long end,
		  const char *perms, const unsigned long *cnt);

#endif /* VMAINFO_SHARE_H */
