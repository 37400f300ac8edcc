// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: what memory is really a process's: /proc/vmainfo/share and
 * /sys/kernel/debug/vmainfo/share.
 *
 * Write "PID", read one line per VMA with the values /proc/PID/smaps shows
 * for it (Rss, Pss, Shared/Private, ...) and a last line with those of
 * /proc/PID/smaps_rollup, computed exactly as fs/proc/task_mmu.c computes
 * them in each supported release (smaps_account(), smaps_page_accumulate(),
 * smaps_pmd_entry(), smaps_hugetlb_range(): their version differences are in
 * compat.h), plus what smaps does not give: USS, anonymous pages mapped
 * exclusively (pagemap's bit 56) or still shared copy-on-write, and
 * zero-page mappings.  Documentation/proc-vmainfo.rst is the contract.
 *
 * The pages are read by the one walker (walk.c) in its locked mode: each
 * entry under the page-table lock that maps it, so its struct page and folio
 * cannot be freed while we read them, as smaps reads them.  The mmap lock is
 * held for one seq_file chunk (view.c) and given up between PTE tables when
 * a writer waits, as smaps_rollup gives it up between VMAs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/hugetlb.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/xarray.h>
#include "compat.h"
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

/* ---- two processes compared: the state of one line ---- */

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

#define VMI_SHARE_HEADER	((void *)1)
#define VMI_SHARE_ROLLUP	((void *)2)
#define VMI_POS_ROLLUP		((loff_t)-2)

struct vmi_share_view {
	struct vmi_view v;
	struct vma_iterator iter;	/* under the lock, as format.c's */
	unsigned long next_pos;		/* where the line shown last ended */
	/* the rollup: what the lines added up to (smaps_rollup) */
	struct vmi_mss rollup;
	unsigned long first_start, rolled_end;
	bool any;
	/* "PID1 PID2": the compare view (the first process is v.t) */
	bool compare;
	struct vmi_target t2;		/* the second process, or none */
	struct vmi_cmp cmp;
	unsigned long cmp_rollup[VMAINFO_COMPARE_NR];
};

static struct vmi_share_view *vmi_share_view(struct seq_file *m)
{
	return container_of((struct vmi_view *)m->private, struct vmi_share_view, v);
}

/* ---- smaps' accounting, entry by entry (called under the entry's lock) ---- */

struct vmi_share_walk {
	struct vmi_walk w;
	struct vmi_mss *mss;
	struct address_space *shmem;	/* pte_hole: count this file's swap */
};

static struct vmi_mss *vmi_walk_mss(struct vmi_walk *w)
{
	return container_of(w, struct vmi_share_walk, w)->mss;
}

/* smaps_page_accumulate() */
static void vmi_smaps_page_accumulate(struct vmi_mss *mss, struct folio *folio,
				      unsigned long size, unsigned long pss,
				      bool dirty, bool locked, bool private)
{
	mss->pss += pss;

	if (folio_test_anon(folio))
		mss->pss_anon += pss;
	else if (folio_test_swapbacked(folio))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;

	if (locked)
		mss->pss_locked += pss;

	if (dirty || folio_test_dirty(folio)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/* smaps_account(); compat.h has what differs between releases */
static void vmi_smaps_account(struct vmi_mss *mss, struct page *page,
			      bool compound, bool young, bool dirty, bool locked,
			      bool present, bool migration)
{
	struct folio *folio = page_folio(page);
	int i, nr = compound ? compound_nr(page) : 1;
	unsigned long size = nr * PAGE_SIZE;
	bool private;

	if (folio_test_anon(folio)) {
		mss->anonymous += size;
		if (!folio_test_swapbacked(folio) && !dirty &&
		    !folio_test_dirty(folio))
			mss->lazyfree += size;
	}

	if (folio_test_ksm(folio))
		mss->ksm += size;

	mss->resident += size;
	if (young || vmi_smaps_young(folio, page) || folio_test_referenced(folio))
		mss->referenced += size;

	if (vmi_smaps_whole(folio, page, present, migration, &private)) {
		vmi_smaps_page_accumulate(mss, folio, size, size << PSS_SHIFT,
					  dirty, locked, private);
		return;
	}
	for (i = 0; i < nr; i++, page++) {
		unsigned long pss = PAGE_SIZE << PSS_SHIFT;
		bool exclusive;
		int mapcount = vmi_smaps_mapcount(folio, page, &exclusive);

		if (mapcount >= 2)
			pss /= mapcount;
		vmi_smaps_page_accumulate(mss, folio, PAGE_SIZE, pss, dirty,
					  locked, exclusive);
	}
}

/* Ours: a present anonymous page, by pagemap's bit 56. */
static inline void vmi_share_excl(struct vmi_mss *mss, struct folio *folio,
				  struct page *page)
{
	if (vmi_pagemap_exclusive(folio, page))
		mss->anon_excl += PAGE_SIZE;
	else
		mss->anon_cow += PAGE_SIZE;
}

/* smaps_pte_entry() (SwapPss left out: see vmi_share_absent) */
static void vmi_share_pte(struct vmi_walk *w, pte_t pte, unsigned long addr)
{
	struct vmi_mss *mss = vmi_walk_mss(w);
	struct vm_area_struct *vma = w->vma;
	bool locked = !!(vma->vm_flags & VM_LOCKED);
	bool present = false, young = false, dirty = false, migration = false;
	struct page *page;

	if (pte_present(pte)) {
		page = vmi_vm_normal_page(vma, addr, pte);
		if (!page) {
			if (is_zero_pfn(pte_pfn(pte)))
				mss->zero += PAGE_SIZE;
			return;
		}
		young = pte_young(pte);
		dirty = pte_dirty(pte);
		present = true;
		if (folio_test_anon(page_folio(page)))
			vmi_share_excl(mss, page_folio(page), page);
	} else {
		bool swap;

		page = vmi_pte_leaf_page(pte, &swap, &present, &migration);
		if (swap)
			mss->swap += PAGE_SIZE;
		if (!page)
			return;
	}
	vmi_smaps_account(mss, page, false, young, dirty, locked, present, migration);
}

/* smaps_pmd_entry() */
static void vmi_share_pmd(struct vmi_walk *w, pmd_t pmd, unsigned long addr,
			  unsigned long next)
{
	struct vmi_mss *mss = vmi_walk_mss(w);
	struct vm_area_struct *vma = w->vma;
	bool locked = !!(vma->vm_flags & VM_LOCKED);
	bool present = false, migration = false;
	struct folio *folio;
	struct page *page;
	unsigned int i;

	if (pmd_present(pmd)) {
		bool zero;

		page = vmi_vm_normal_page_pmd(vma, addr, pmd, &zero);
		if (zero)
			mss->zero += HPAGE_PMD_SIZE;
		present = true;
	} else {
		page = vmi_pmd_leaf_page(pmd, &migration);
	}
	if (IS_ERR_OR_NULL(page))
		return;
	folio = page_folio(page);
	if (folio_test_anon(folio))
		mss->anonymous_thp += HPAGE_PMD_SIZE;
	else if (folio_test_swapbacked(folio))
		mss->shmem_thp += HPAGE_PMD_SIZE;
	else if (!folio_is_zone_device(folio))	/* zone device: no THP kind */
		mss->file_thp += HPAGE_PMD_SIZE;

	vmi_smaps_account(mss, page, true, pmd_young(pmd), pmd_dirty(pmd),
			  locked, present, migration);
	if (present && folio_test_anon(folio))
		for (i = 0; i < HPAGE_PMD_NR; i++)
			vmi_share_excl(mss, folio, vmi_pagemap_pmd_page(page, i));
}

/* smaps_hugetlb_range() */
static void vmi_share_hugetlb(struct vmi_walk *w, pte_t *ptep, pte_t pte,
			      unsigned long addr)
{
	struct vmi_mss *mss = vmi_walk_mss(w);
	struct vm_area_struct *vma = w->vma;

	switch (vmi_smaps_hugetlb_shared(vma, addr, ptep, pte)) {
	case 1:
		mss->shared_hugetlb += huge_page_size(hstate_vma(vma));
		break;
	case 0:
		mss->private_hugetlb += huge_page_size(hstate_vma(vma));
		break;
	}
}

/*
 * shmem_partial_swap_usage() (mm/shmem.c, not exported): swap entries of the
 * file's page cache in [start, end).  Under a PTE lock (@atomic) it runs for
 * one page and does not reschedule.
 */
static unsigned long vmi_shmem_partial_swap(struct address_space *mapping,
					    pgoff_t start, pgoff_t end, bool atomic)
{
	XA_STATE(xas, &mapping->i_pages, start);
	unsigned long swapped = 0, max = end - 1;
	void *entry;

	rcu_read_lock();
	xas_for_each(&xas, entry, max) {
		if (xas_retry(&xas, entry))
			continue;
		if (xa_is_value(entry))
			swapped += vmi_shmem_swap_entry_pages(&xas);
		if (xas.xa_index == max)
			break;
		if (!atomic && need_resched()) {
			xas_pause(&xas);
			cond_resched_rcu();
		}
	}
	rcu_read_unlock();
	return swapped << PAGE_SHIFT;
}

/* shmem_swap_usage() (mm/shmem.c, not exported) */
static unsigned long vmi_shmem_swap_usage(struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(vma->vm_file);
	struct shmem_inode_info *info = SHMEM_I(inode);
	unsigned long swapped = READ_ONCE(info->swapped);

	if (!swapped)
		return 0;
	if (!vma->vm_pgoff && vma->vm_end - vma->vm_start >= inode->i_size)
		return swapped << PAGE_SHIFT;
	return vmi_shmem_partial_swap(inode->i_mapping, vma->vm_pgoff,
				      vma->vm_pgoff + vma_pages(vma), false);
}

/* smaps_pte_hole(): for a private writable shmem mapping with swap */
static void vmi_share_hole(struct vmi_walk *w, unsigned long addr,
			   unsigned long end, bool atomic)
{
	struct vmi_share_walk *sw = container_of(w, struct vmi_share_walk, w);

	sw->mss->swap += vmi_shmem_partial_swap(sw->shmem,
						linear_page_index(w->vma, addr),
						linear_page_index(w->vma, end), atomic);
}

static const struct vmi_locked_ops vmi_share_ops = {
	.pte		= vmi_share_pte,
	.pmd		= vmi_share_pmd,
	.hugetlb	= vmi_share_hugetlb,
};

static const struct vmi_locked_ops vmi_share_shmem_ops = {
	.pte		= vmi_share_pte,
	.pmd		= vmi_share_pmd,
	.hugetlb	= vmi_share_hugetlb,
	.hole		= vmi_share_hole,
};

/* The walk's yield: a writer waits for the mmap lock (the view holds it). */
static bool vmi_share_yield(struct vmi_walk *w)
{
	return mmap_lock_is_contended(w->mm);
}

/*
 * smap_gather_stats() for [start, vma->vm_end), @first when the walk of this
 * line begins (the shmem swap of the whole VMA is counted then).  Returns 0,
 * -EINTR, or -EAGAIN with *resume set (a writer waits for the mmap lock).
 */
static int vmi_share_gather(struct vmi_view *v, struct vm_area_struct *vma,
			    struct vmi_mss *mss, unsigned long start, bool *hole,
			    bool first, unsigned long *resume)
{
	struct vmi_share_walk sw;
	int err;

	if (first) {
		*hole = false;
		if (vma->vm_file && shmem_mapping(vma->vm_file->f_mapping)) {
			/*
			 * As smaps: a shared or read-only shmem mapping's swap
			 * is the object's; a private writable one may have COW
			 * copies, so its holes are looked up one by one.
			 */
			unsigned long swapped = vmi_shmem_swap_usage(vma);

			if (!swapped || (vma->vm_flags & VM_SHARED) ||
			    !(vma->vm_flags & VM_WRITE))
				mss->swap += swapped;
			else
				*hole = true;
		}
	}
	vmi_walk_init(&sw.w, NULL, &v->pmd_cache);
	sw.w.lops = *hole ? &vmi_share_shmem_ops : &vmi_share_ops;
	sw.w.yield = vmi_share_yield;
	sw.mss = mss;
	sw.shmem = *hole ? vma->vm_file->f_mapping : NULL;
	err = vmi_walk_range(&sw.w, vma, start, vma->vm_end);
	vmi_stat_walk(v, &sw.w);
	*resume = sw.w.resume;
	return err;
}

/* ---- the text ---- */

static const struct vmainfo_share_col_def vmi_share_cols[] = {
	VMAINFO_SHARE_COLS(VMAINFO_SHARE_COL_INIT)
};

/* Columns this module cannot give exactly, and why (the "absent" key). */
static const char vmi_share_absent[] =
	"swap_pss (needs swp_swapcount() or swap_info, not exported to modules)";

static void vmi_mss_add(struct vmi_mss *a, const struct vmi_mss *b)
{
	a->resident += b->resident;
	a->shared_clean += b->shared_clean;
	a->shared_dirty += b->shared_dirty;
	a->private_clean += b->private_clean;
	a->private_dirty += b->private_dirty;
	a->referenced += b->referenced;
	a->anonymous += b->anonymous;
	a->lazyfree += b->lazyfree;
	a->anonymous_thp += b->anonymous_thp;
	a->shmem_thp += b->shmem_thp;
	a->file_thp += b->file_thp;
	a->swap += b->swap;
	a->shared_hugetlb += b->shared_hugetlb;
	a->private_hugetlb += b->private_hugetlb;
	a->ksm += b->ksm;
	a->pss += b->pss;
	a->pss_anon += b->pss_anon;
	a->pss_file += b->pss_file;
	a->pss_shmem += b->pss_shmem;
	a->pss_dirty += b->pss_dirty;
	a->pss_locked += b->pss_locked;
	a->anon_excl += b->anon_excl;
	a->anon_cow += b->anon_cow;
	a->zero += b->zero;
}

/* Each column's value in bytes, as smaps prints it before ">> 10". */
static void vmi_share_vals(const struct vmi_mss *s, u64 *vals)
{
	const u64 v[VMAINFO_SHARE_NR] = {
		[VMAINFO_SHARE_rss]		= s->resident,
		[VMAINFO_SHARE_pss]		= s->pss >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_dirty]	= s->pss_dirty >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_anon]	= s->pss_anon >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_file]	= s->pss_file >> PSS_SHIFT,
		[VMAINFO_SHARE_pss_shmem]	= s->pss_shmem >> PSS_SHIFT,
		[VMAINFO_SHARE_shared_clean]	= s->shared_clean,
		[VMAINFO_SHARE_shared_dirty]	= s->shared_dirty,
		[VMAINFO_SHARE_private_clean]	= s->private_clean,
		[VMAINFO_SHARE_private_dirty]	= s->private_dirty,
		[VMAINFO_SHARE_referenced]	= s->referenced,
		[VMAINFO_SHARE_anonymous]	= s->anonymous,
		[VMAINFO_SHARE_ksm]		= s->ksm,
		[VMAINFO_SHARE_lazyfree]	= s->lazyfree,
		[VMAINFO_SHARE_anon_huge]	= s->anonymous_thp,
		[VMAINFO_SHARE_shmem_pmd]	= s->shmem_thp,
		[VMAINFO_SHARE_file_pmd]	= s->file_thp,
		[VMAINFO_SHARE_shared_hugetlb]	= s->shared_hugetlb,
		[VMAINFO_SHARE_private_hugetlb]	= s->private_hugetlb,
		[VMAINFO_SHARE_swap]		= s->swap,
		[VMAINFO_SHARE_locked]		= s->pss_locked >> PSS_SHIFT,
		[VMAINFO_SHARE_uss]		= s->private_clean + s->private_dirty,
		[VMAINFO_SHARE_anon_excl]	= s->anon_excl,
		[VMAINFO_SHARE_anon_cow]	= s->anon_cow,
		[VMAINFO_SHARE_zero]		= s->zero,
	};

	memcpy(vals, v, sizeof(v));
}

/* "start-end perms" and every column, in kB, as smaps' ">> 10" */
static void vmi_share_line(struct seq_file *m, unsigned long start,
			   unsigned long end, const char *perms,
			   const struct vmi_mss *s)
{
	/* 2 x 16 hex digits, perms, and 20 digits per column */
	char tmp[40 + 8 + VMAINFO_SHARE_NR * 21 + 2] __uninitialized, *line, *p;
	u64 vals[VMAINFO_SHARE_NR];
	unsigned int c;

	vmi_share_vals(s, vals);
	line = vmi_seq_line(m, tmp, sizeof(tmp));
	p = vmi_fmt_hex(line, start, 8);
	*p++ = '-';
	p = vmi_fmt_hex(p, end, 8);
	*p++ = ' ';
	memcpy(p, perms, strlen(perms));
	p += strlen(perms);
	for (c = 0; c < VMAINFO_SHARE_NR; c++) {
		*p++ = ' ';
		if (c == VMAINFO_SHARE_swap_pss)
			*p++ = '-';	/* vmi_share_absent */
		else
			p = vmi_fmt_dec(p, vals[c] >> 10);
	}
	*p++ = '\n';
	vmi_seq_commit(m, tmp, line, p);
}

static void vmi_share_header(struct seq_file *m, struct vmi_share_view *sv)
{
	unsigned int c;

	seq_put_decimal_ull(m, "pid: ", sv->v.t.tgid);
	seq_puts(m, "\ncomm: ");
	seq_escape_mem(m, sv->v.t.comm, strnlen(sv->v.t.comm, TASK_COMM_LEN),
		       ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	seq_printf(m, "\nkernel: %s\n", init_utsname()->release);
	seq_put_decimal_ull(m, "format: ", VMAINFO_FORMAT_VERSION);
	seq_puts(m, "\nview: vmas\nunit: kB\nabsent: ");
	seq_puts(m, vmi_share_absent);
	seq_puts(m, "\n\nrange perms");
	for (c = 0; c < VMAINFO_SHARE_NR; c++) {
		seq_putc(m, ' ');
		seq_puts(m, vmi_share_cols[c].name);
	}
	seq_putc(m, '\n');
	memset(&sv->rollup, 0, sizeof(sv->rollup));
	sv->first_start = 0;
	sv->rolled_end = 0;
	sv->any = false;
}

/*
 * Drop the mmap lock for a waiting writer and take it again, as
 * smaps_rollup does; false if a fatal signal came meanwhile (the lock is
 * then not held and the address space not pinned, as after m_stop).
 */
/*
 * One VMA line.  If the walk gives up the lock (a writer waits), it goes on
 * where it stopped, in the VMA that holds that address then, as
 * smaps_rollup's case 4; the line ends where that VMA ends (or where the walk
 * stopped, if no VMA holds it any more).
 */
static int vmi_share_show_vma(struct seq_file *m, struct vmi_share_view *sv,
			      struct vm_area_struct *vma)
{
	struct vmi_view *v = &sv->v;
	struct mm_struct *mm = v->t.mm;
	unsigned long start = vma->vm_start, end = vma->vm_end, resume;
	struct vmi_mss mss = {};
	char perms[5];
	bool hole, first = true;
	int err;

	mmap_assert_locked(mm);
	*vmi_fmt_perms(perms, vma->vm_flags) = '\0';
	resume = start;
	for (;;) {
		err = vmi_share_gather(v, vma, &mss, resume, &hole, first, &resume);
		first = false;
		end = vma->vm_end;
		if (err != -EAGAIN)
			break;
		err = vmi_view_relock(v);
		if (err)
			return err;
		vma = find_vma(mm, resume);
		if (!vma || vma->vm_start > resume) {
			end = resume;	/* unmapped meanwhile: what was read */
			err = 0;
			break;
		}
	}
	if (err) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		return err;
	}
	vmi_view_stat(v, VMI_STAT_VMAS, 1);
	/* the iterator is stale if the lock was dropped; from here, in any case */
	vma_iter_init(&sv->iter, mm, end);
	sv->next_pos = end;
	vmi_share_line(m, start, end, perms, &mss);
	/* a line shown again (the buffer overflowed) is counted once */
	if (end > sv->rolled_end) {
		if (!sv->any)
			sv->first_start = start;
		sv->any = true;
		sv->rolled_end = end;
		vmi_mss_add(&sv->rollup, &mss);
	}
	return 0;
}

/*
 * ---- two processes compared (write "PID1 PID2") ----
 *
 * Per VMA of the first process: of the pages both map at the same address,
 * how many are on the same frame and how many were copied; and the pages
 * only one of them maps there.  The two mmap locks are never held together:
 * the first's present entries of a stretch of the VMA are gathered under its
 * lock (and each page table's lock) as runs of (address, frame) into a
 * bounded buffer, its mmap lock is dropped, the second's entries of the same
 * stretch are read under the second's lock and matched against the runs as
 * they come (both in address order), that lock is dropped, and the first's
 * is taken again for the next stretch.  With one mmap lock held at a time
 * no lock order between two mms exists to get wrong: a reader of A and B and
 * one of B and A cannot deadlock against each other or against a writer
 * queued on either, and lockdep sees no nesting of mmap_lock.  The price is
 * that the two sides of a stretch are read at slightly different times, as
 * any two reads of a running process are (Documentation/design.rst).
 * Frame numbers stay in the buffer; only the counts are printed.
 */

struct vmi_cmp_walk {
	struct vmi_walk w;
	struct vmi_cmp *c;
	bool second;			/* match against the runs, do not store */
	bool writer;			/* stopped because a writer waits */
};

/* The first's side: append [addr, end) on @pfn to the runs, or extend the last. */
static void vmi_cmp_add(struct vmi_cmp *c, unsigned long addr, unsigned long end,
			unsigned long pfn, bool zero)
{
	struct vmi_cmp_run *r = c->n ? &c->runs[c->n - 1] : NULL;

	if (c->full)
		return;		/* walked past the buffer: read again next time */
	if (r && r->end == addr && r->zero == zero &&
	    (zero || r->pfn + ((addr - r->start) >> PAGE_SHIFT) == pfn)) {
		r->end = end;
		return;
	}
	if (c->n == VMI_CMP_RUNS) {
		c->full = addr;
		return;
	}
	c->runs[c->n++] = (struct vmi_cmp_run){ .start = addr, .end = end,
						.pfn = pfn, .zero = zero };
}

/* The first's pages in [c->done, to) that the second did not map: only_first. */
static void vmi_cmp_only_first(struct vmi_cmp *c, unsigned long to)
{
	while (c->i < c->n) {
		struct vmi_cmp_run *r = &c->runs[c->i];
		unsigned long s = max(r->start, c->done), e = min(r->end, to);

		if (r->start >= to)
			break;
		if (e > s)
			c->cnt[VMAINFO_COMPARE_only_first] += (e - s) >> PAGE_SHIFT;
		if (r->end > to)
			break;
		c->i++;
	}
	c->done = max(c->done, to);
}

/* The second's side: [addr, end) on @pfn, against the first's runs. */
static void vmi_cmp_match(struct vmi_cmp *c, unsigned long addr, unsigned long end,
			  unsigned long pfn, bool zero)
{
	unsigned long prev = addr;

	vmi_cmp_only_first(c, addr);
	for (; c->i < c->n; c->i++) {
		struct vmi_cmp_run *r = &c->runs[c->i];
		unsigned long s = max(r->start, addr), e = min(r->end, end);
		unsigned long n = (e - s) >> PAGE_SHIFT;
		unsigned int col;

		if (r->start >= end)
			break;
		/* runs that end at or below addr were passed: s < e here */
		c->cnt[VMAINFO_COMPARE_only_second] += (s - prev) >> PAGE_SHIFT;
		if (zero && r->zero)
			col = VMAINFO_COMPARE_zero;
		else if (!zero && !r->zero &&
			 r->pfn + ((s - r->start) >> PAGE_SHIFT) ==
			 pfn + ((s - addr) >> PAGE_SHIFT))
			col = VMAINFO_COMPARE_shared;	/* one offset: all or none */
		else
			col = VMAINFO_COMPARE_copied;
		c->cnt[col] += n;
		prev = e;
		if (r->end > end)
			break;
	}
	c->cnt[VMAINFO_COMPARE_only_second] += (end - prev) >> PAGE_SHIFT;
	c->done = end;
}

static void vmi_cmp_emit(struct vmi_walk *w, unsigned long addr, unsigned long end,
			 unsigned long pfn, bool zero)
{
	struct vmi_cmp_walk *cw = container_of(w, struct vmi_cmp_walk, w);

	if (cw->second)
		vmi_cmp_match(cw->c, addr, end, pfn, zero);
	else
		vmi_cmp_add(cw->c, addr, end, pfn, zero);
}

/* Under the PTE table's lock: only the entry's value is read. */
static void vmi_cmp_pte(struct vmi_walk *w, pte_t pte, unsigned long addr)
{
	unsigned long pfn;

	if (!pte_present(pte))
		return;		/* swap, migration, device entries: no frame mapped */
	pfn = pte_pfn(pte);
	vmi_cmp_emit(w, addr, addr + PAGE_SIZE, pfn, is_zero_pfn(pfn));
}

/* Under the PMD lock: a THP or DAX PMD, or the huge zero page. */
static void vmi_cmp_pmd(struct vmi_walk *w, pmd_t pmd, unsigned long addr,
			unsigned long next)
{
	bool zero;

	if (!pmd_present(pmd))
		return;
	vmi_vm_normal_page_pmd(w->vma, addr, pmd, &zero);
	vmi_cmp_emit(w, addr, next, pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT),
		     zero);
}

/* Under huge_pte_lock(): one hugetlb page, from its start. */
static void vmi_cmp_hugetlb(struct vmi_walk *w, pte_t *ptep, pte_t pte,
			    unsigned long addr)
{
	unsigned long end = addr + huge_page_size(hstate_vma(w->vma));

	if (pte_present(pte))
		vmi_cmp_emit(w, addr, min(end, w->end), pte_pfn(pte), false);
}

static const struct vmi_locked_ops vmi_cmp_ops = {
	.pte		= vmi_cmp_pte,
	.pmd		= vmi_cmp_pmd,
	.hugetlb	= vmi_cmp_hugetlb,
};

/*
 * Between PMD entries: a writer waits for the mmap lock held, or (the
 * first's side) the runs have no room left for another PTE table's.
 */
static bool vmi_cmp_yield(struct vmi_walk *w)
{
	struct vmi_cmp_walk *cw = container_of(w, struct vmi_cmp_walk, w);

	if (mmap_lock_is_contended(w->mm)) {
		cw->writer = true;
		return true;
	}
	return !cw->second && cw->c->n > VMI_CMP_RUNS - PTRS_PER_PTE - 1;
}

/* [start, end) of @vma (of either side) in locked mode; as vmi_walk_range(). */
static int vmi_cmp_walk_range(struct vmi_view *v, struct vmi_cmp *c,
			      struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, struct vmi_pmd_cache *cache,
			      bool second, unsigned long *resume, bool *writer)
{
	struct vmi_cmp_walk cw;
	int err;

	vmi_walk_init(&cw.w, NULL, cache);
	cw.w.lops = &vmi_cmp_ops;
	cw.w.yield = vmi_cmp_yield;
	cw.c = c;
	cw.second = second;
	cw.writer = false;
	err = vmi_walk_range(&cw.w, vma, start, end);
	vmi_stat_walk(v, &cw.w);
	*resume = cw.w.resume;
	*writer = cw.writer;
	return err;
}

/*
 * The second process's pages of [start, end), matched against the runs,
 * under its mmap lock alone (the caller holds no mmap lock); given up and
 * taken again when a writer waits.  Returns 0, -EINTR, or -ESRCH if its
 * address space is gone (it exited or exec'd).
 */
static int vmi_cmp_second(struct vmi_share_view *sv, unsigned long start,
			  unsigned long end)
{
	struct vmi_view *v = &sv->v;
	struct mm_struct *mm = sv->t2.mm;
	struct vmi_pmd_cache cache = {};
	unsigned long addr = start, resume;
	struct vm_area_struct *vma;
	bool writer;
	int err = 0;

	if (!mmget_not_zero(mm))
		return -ESRCH;
	if (mmap_read_lock_killable(mm)) {
		err = -EINTR;
		goto out;
	}
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end)
			break;
		addr = max(addr, vma->vm_start);
		err = vmi_cmp_walk_range(v, &sv->cmp, vma, addr, min(end, vma->vm_end),
					 &cache, true, &resume, &writer);
		if (err == -EAGAIN) {
			/* a writer waits: let it in, go on where the walk stopped */
			vmi_view_stat(v, VMI_STAT_MID_VMA_YIELDS, 1);
			mmap_read_unlock(mm);
			cache.pmdp = NULL;
			if (mmap_read_lock_killable(mm)) {
				err = -EINTR;
				goto out;
			}
			addr = resume;
			err = 0;
			continue;
		}
		if (err)
			break;
		addr = min(end, vma->vm_end);
	}
	mmap_assert_locked(mm);
	mmap_read_unlock(mm);
	if (!err)
		vmi_cmp_only_first(&sv->cmp, end);
out:
	mmput(mm);
	if (err == -EINTR)
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
	return err;
}

/* Take the first's mmap lock again, as held for the chunk (vmi_view_lock()). */
static int vmi_cmp_relock(struct vmi_view *v)
{
	if (mmap_read_lock_killable(v->t.mm)) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
		return -EINTR;
	}
	v->locked = true;
	v->pmd_cache.pmdp = NULL;	/* nothing found under an earlier hold */
	return 0;
}

static void vmi_cmp_line(struct seq_file *m, unsigned long start, unsigned long end,
			 const char *perms, const unsigned long *cnt)
{
	/* 2 x 16 hex digits, perms, and 20 digits per column */
	char tmp[40 + 8 + VMAINFO_COMPARE_NR * 21 + 2] __uninitialized, *line, *p;
	unsigned int c;

	line = vmi_seq_line(m, tmp, sizeof(tmp));
	p = vmi_fmt_hex(line, start, 8);
	*p++ = '-';
	p = vmi_fmt_hex(p, end, 8);
	*p++ = ' ';
	memcpy(p, perms, strlen(perms));
	p += strlen(perms);
	for (c = 0; c < VMAINFO_COMPARE_NR; c++) {
		*p++ = ' ';
		p = vmi_fmt_dec(p, cnt[c]);
	}
	*p++ = '\n';
	vmi_seq_commit(m, tmp, line, p);
}

static const char *const vmi_cmp_cols[] = {
	VMAINFO_COMPARE_COLS(VMAINFO_COMPARE_COL_NAME)
};

static void vmi_cmp_header(struct seq_file *m, struct vmi_share_view *sv)
{
	unsigned int c;

	seq_put_decimal_ull(m, "pid: ", sv->v.t.tgid);
	seq_puts(m, "\ncomm: ");
	seq_escape_mem(m, sv->v.t.comm, strnlen(sv->v.t.comm, TASK_COMM_LEN),
		       ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	seq_put_decimal_ull(m, "\npid2: ", sv->t2.tgid);
	seq_puts(m, "\ncomm2: ");
	seq_escape_mem(m, sv->t2.comm, strnlen(sv->t2.comm, TASK_COMM_LEN),
		       ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	seq_printf(m, "\nkernel: %s\n", init_utsname()->release);
	seq_put_decimal_ull(m, "format: ", VMAINFO_FORMAT_VERSION);
	seq_puts(m, "\nview: compare\nunit: pages\n\nrange perms");
	for (c = 0; c < VMAINFO_COMPARE_NR; c++) {
		seq_putc(m, ' ');
		seq_puts(m, vmi_cmp_cols[c]);
	}
	seq_putc(m, '\n');
	memset(sv->cmp_rollup, 0, sizeof(sv->cmp_rollup));
	sv->first_start = 0;
	sv->rolled_end = 0;
	sv->any = false;
}

/*
 * One VMA line of the compare view, entered and left with the first's mmap
 * lock held (the chunk's), which is dropped for each stretch's second half.
 * As vmi_share_show_vma(): after the lock was dropped, the line goes on in
 * the VMA that then holds the address where it stopped, and ends where that
 * VMA ends (or where it stopped, if no VMA holds it any more).
 */
static int vmi_cmp_show_vma(struct seq_file *m, struct vmi_share_view *sv,
			    struct vm_area_struct *vma)
{
	struct vmi_view *v = &sv->v;
	struct mm_struct *mm = v->t.mm;
	struct vmi_cmp *c = &sv->cmp;
	unsigned long start = vma->vm_start, pos = start, end, wend;
	bool writer, last;
	char perms[5];
	unsigned int i;
	int err;

	*vmi_fmt_perms(perms, vma->vm_flags) = '\0';
	memset(c->cnt, 0, sizeof(c->cnt));
	for (;;) {
		/* 1. the first's runs from pos, under its mmap lock */
		mmap_assert_locked(mm);
		c->n = 0;
		c->i = 0;
		c->full = 0;
		c->done = pos;
		err = vmi_cmp_walk_range(v, c, vma, pos, vma->vm_end, &v->pmd_cache,
					 false, &wend, &writer);
		if (err && err != -EAGAIN) {
			vmi_view_stat(v, VMI_STAT_ERR_INTR, 1);
			return err;
		}
		end = vma->vm_end;
		last = !err;
		if (last)
			wend = end;
		if (c->full && c->full < wend) {
			wend = c->full;	/* the runs end there: go on from it */
			last = false;
		}
		/* 2. the second's, with the first's mmap lock dropped */
		vmi_view_unlock_mm(v);
		if (writer)
			vmi_view_stat(v, VMI_STAT_MID_VMA_YIELDS, 1);
		err = vmi_cmp_second(sv, pos, wend);
		if (!err)
			err = vmi_cmp_relock(v);
		if (err)
			return err;	/* m_stop drops the pin (and lock, if held) */
		if (last)
			break;
		pos = wend;
		vma = find_vma(mm, pos);
		if (!vma || vma->vm_start > pos) {
			end = pos;	/* unmapped meanwhile: what was read */
			break;
		}
	}
	vmi_view_stat(v, VMI_STAT_VMAS, 1);
	vma_iter_init(&sv->iter, mm, end);
	sv->next_pos = end;
	vmi_cmp_line(m, start, end, perms, c->cnt);
	if (end > sv->rolled_end) {
		if (!sv->any)
			sv->first_start = start;
		sv->any = true;
		sv->rolled_end = end;
		for (i = 0; i < VMAINFO_COMPARE_NR; i++)
			sv->cmp_rollup[i] += c->cnt[i];
	}
	return 0;
}

static void *vmi_share_start(struct seq_file *m, loff_t *pos)
{
	struct vmi_share_view *sv = vmi_share_view(m);
	struct vmi_view *v = &sv->v;
	struct vm_area_struct *vma;
	int err;

	if (*pos == VMI_POS_END || !v->have_target || !v->t.mm)
		return NULL;
	if (!vmi_view_lock(v, *pos, &err))
		return err ? ERR_PTR(err) : NULL;
	if (*pos == VMI_POS_ROLLUP)
		return VMI_SHARE_ROLLUP;
	vma_iter_init(&sv->iter, v->t.mm, *pos);
	if (*pos == 0)
		return VMI_SHARE_HEADER;
	vma = vma_next(&sv->iter);
	if (vma)
		return vma;
	*pos = VMI_POS_ROLLUP;
	return VMI_SHARE_ROLLUP;
}

static void *vmi_share_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct vmi_share_view *sv = vmi_share_view(m);
	struct vm_area_struct *vma;

	if (p == VMI_SHARE_ROLLUP) {
		*pos = VMI_POS_END;
		return NULL;
	}
	*pos = p == VMI_SHARE_HEADER ? 1 : sv->next_pos;
	vma = vma_next(&sv->iter);
	if (vma)
		return vma;
	*pos = VMI_POS_ROLLUP;
	return VMI_SHARE_ROLLUP;
}

static int vmi_share_show(struct seq_file *m, void *p)
{
	struct vmi_share_view *sv = vmi_share_view(m);

	if (p == VMI_SHARE_HEADER) {
		if (sv->compare)
			vmi_cmp_header(m, sv);
		else
			vmi_share_header(m, sv);
		return 0;
	}
	if (vmi_view_yield(m, &sv->v))
		return 0;
	if (sv->compare) {
		if (p != VMI_SHARE_ROLLUP)
			return vmi_cmp_show_vma(m, sv, p);
		vmi_cmp_line(m, sv->first_start, sv->rolled_end, "rollup", sv->cmp_rollup);
		return 0;
	}
	if (p == VMI_SHARE_ROLLUP) {
		/* smaps_rollup's range: the first VMA's start, the last's end */
		vmi_share_line(m, sv->first_start, sv->rolled_end, "rollup", &sv->rollup);
		return 0;
	}
	return vmi_share_show_vma(m, sv, p);
}

static const struct seq_operations vmi_share_seq_ops = {
	.start	= vmi_share_start,
	.next	= vmi_share_next,
	.stop	= vmi_view_stop,
	.show	= vmi_share_show,
};

/* ---- the files ---- */

static int vmi_share_open(struct inode *inode, struct file *file)
{
	return PTR_ERR_OR_ZERO(vmi_view_open(file, NULL, &vmi_share_seq_ops,
					     sizeof(struct vmi_share_view)));
}

#define VMI_SHARE_WRITE_MAX	32

/* "PID" or "PID1 PID2" (blanks between, a newline at the end): how many */
static int vmi_share_parse(char *buf, int *nr)
{
	char *p = strim(buf), *tok;
	int n = 0, err;

	while ((tok = strsep(&p, " \t")) != NULL) {
		if (!*tok)
			continue;
		if (n == 2)
			return -EINVAL;
		err = kstrtoint(tok, 10, &nr[n]);
		if (err)
			return err;
		if (nr[n] <= 0)
			return -EINVAL;
		n++;
	}
	return n ? n : -EINVAL;
}

/* One process, checked and resolved as by every other file; no kernel thread. */
static int vmi_share_target(struct vmi_target *t, pid_t nr, struct file *file)
{
	int err = vmi_target_get_nr(t, nr, file);

	if (err)
		return err;
	if (!t->mm) {
		vmi_target_put(t);
		return -ENODATA;	/* kernel thread: no pages of its own */
	}
	return 0;
}

/*
 * "PID": select the process, with the access check of the other files
 * (vmi_target_get_nr(): the opener's credentials, the mount's hidepid=).
 * "PID1 PID2": compare two processes, each passing that same check; the
 * error of the first that fails is returned and nothing is selected.
 */
static ssize_t vmi_share_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct vmi_target t, t2 = {}, old2;
	struct vmi_cmp_run *runs = NULL;
	struct vmi_share_view *sv;
	char buf[VMI_SHARE_WRITE_MAX];
	int nr[2], n, err;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (memchr(buf, '\0', count))
		return -EINVAL;
	buf[count] = '\0';
	n = vmi_share_parse(buf, nr);
	if (n < 0)
		return n;
	err = vmi_share_target(&t, nr[0], file);
	if (err)
		return err;
	if (n == 2) {
		err = vmi_share_target(&t2, nr[1], file);
		if (!err) {
			runs = kvmalloc_array(VMI_CMP_RUNS, sizeof(*runs),
					      GFP_KERNEL_ACCOUNT);
			if (!runs) {
				vmi_target_put(&t2);
				err = -ENOMEM;
			}
		}
		if (err) {
			vmi_target_put(&t);
			return err;
		}
	}
	/* excludes seq_read() on this file */
	sv = container_of(vmi_view_select(file, &t), struct vmi_share_view, v);
	old2 = sv->t2;
	sv->t2 = t2;
	sv->compare = n == 2;
	if (runs && !sv->cmp.runs) {
		sv->cmp.runs = runs;	/* kept until release */
		vmi_live_inc(VMI_LIVE_BUFFERS);
		runs = NULL;
	}
	*ppos = 0;
	vmi_view_select_done(file);
	vmi_target_put(&old2);
	kvfree(runs);
	return count;
}

static int vmi_share_release(struct inode *inode, struct file *file)
{
	struct vmi_share_view *sv = container_of(vmi_view_file(file),
						 struct vmi_share_view, v);

	vmi_target_put(&sv->t2);
	if (sv->cmp.runs) {
		kvfree(sv->cmp.runs);
		vmi_live_dec(VMI_LIVE_BUFFERS);
	}
	return vmi_view_release(inode, file);
}

/* /proc/vmainfo/share: every user, as /proc/vmainfo/query */
const struct proc_ops vmi_proc_share_ops = {
	.proc_open	= vmi_share_open,
	.proc_read	= seq_read,
	.proc_write	= vmi_share_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= vmi_share_release,
};

const struct file_operations vmi_share_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_share_open,
	.read		= seq_read,
	.write		= vmi_share_write,
	.llseek		= seq_lseek,
	.release	= vmi_share_release,
};
