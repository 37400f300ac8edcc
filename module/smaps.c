// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: smaps' accounting for the share view (share.c), entry by entry:
 * the values /proc/PID/smaps shows for a VMA (Rss, Pss, Shared/Private, ...),
 * computed exactly as fs/proc/task_mmu.c computes them in each supported
 * release (smaps_account(), smaps_page_accumulate(), smaps_pmd_entry(),
 * smaps_hugetlb_range(): their version differences are in compat.h), plus
 * what smaps does not give: USS, anonymous pages mapped exclusively
 * (pagemap's bit 56) or still shared copy-on-write, and zero-page mappings.
 *
 * The pages are read by the one walker (walk.c) in its locked mode: each
 * entry under the page-table lock that maps it, so its struct page and folio
 * cannot be freed while we read them, as smaps reads them.  The mmap lock is
 * held for one seq_file chunk (view.c) and given up between PTE tables when
 * a writer waits, as smaps_rollup gives it up between VMAs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/rcupdate_wait.h>
#include <linux/shmem_fs.h>
#include <linux/xarray.h>
#include "compat.h"
#include "share.h"
#include "vmainfo.h"

/* ---- smaps' accounting, entry by entry (called under the entry's lock) ---- */

struct vmi_share_walk {
	struct vmi_walk w;
	struct vmi_mss *mss;
	struct address_space *shmem;	/* pte_hole: count this file's swap */
	struct vmi_share_more *more;	/* the rollup alone: VMAs taken after w->vma */
	struct vma_iterator iter;	/* ... found with this (from the walked VMA's end) */
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

/*
 * The common case of vmi_share_pte(), a whole PTE table at a time: a present
 * entry of a small folio that only this entry maps (reference count 1, so
 * smaps_account() accounts it at once, as private).  Such a page adds its
 * size to columns chosen by six bits of its state alone, so the table's pages
 * are counted per combination of those bits, and each combination is added
 * to the mss once (vmi_share_fold()): the same sums as page by page, without
 * a call and ten read-modify-writes per page.  Every other entry goes to
 * vmi_share_pte().
 */
enum {
	VMI_TALLY_ANON		= 1 << 0,	/* folio_test_anon() */
	VMI_TALLY_SWAPBACKED	= 1 << 1,	/* folio_test_swapbacked() */
	VMI_TALLY_KSM		= 1 << 2,	/* folio_test_ksm() */
	VMI_TALLY_REFERENCED	= 1 << 3,	/* young in the entry or the folio */
	VMI_TALLY_DIRTY		= 1 << 4,	/* dirty in the entry or the folio */
	VMI_TALLY_EXCL		= 1 << 5,	/* anon, pagemap's bit 56 */
	VMI_TALLY_NR		= 1 << 6,
};

static void vmi_share_fold(struct vmi_mss *mss, unsigned int c, unsigned long pages,
			   bool locked)
{
	unsigned long size = pages << PAGE_SHIFT;
	u64 pss = (u64)size << PSS_SHIFT;

	/* smaps_account() */
	if (c & VMI_TALLY_ANON) {
		mss->anonymous += size;
		if (!(c & (VMI_TALLY_SWAPBACKED | VMI_TALLY_DIRTY)))
			mss->lazyfree += size;
		if (c & VMI_TALLY_EXCL)
			mss->anon_excl += size;
		else
			mss->anon_cow += size;
	}
	if (c & VMI_TALLY_KSM)
		mss->ksm += size;
	mss->resident += size;
	if (c & VMI_TALLY_REFERENCED)
		mss->referenced += size;
	/* smaps_page_accumulate(), private */
	mss->pss += pss;
	if (c & VMI_TALLY_ANON)
		mss->pss_anon += pss;
	else if (c & VMI_TALLY_SWAPBACKED)
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (c & VMI_TALLY_DIRTY) {
		mss->pss_dirty += pss;
		mss->private_dirty += size;
	} else {
		mss->private_clean += size;
	}
}

static void vmi_share_ptes(struct vmi_walk *w, pte_t *ptep, unsigned long addr,
			   unsigned long n)
{
	struct vm_area_struct *vma = w->vma;
	unsigned short tally[VMI_TALLY_NR] __uninitialized;	/* set when first used */
	unsigned long i, sub = ULONG_MAX;
	u64 used = 0;

	BUILD_BUG_ON(VMI_TALLY_NR > 64 || PTRS_PER_PTE > USHRT_MAX);
	for (i = 0; i < n; i++, addr += PAGE_SIZE) {
		pte_t pte = ptep_get(ptep + i);
		struct folio *folio;
		struct page *page;
		unsigned int c = 0;

		if (pte_none(pte))
			continue;
		if (!pte_present(pte))
			goto one;
		page = vmi_vm_normal_page_sub(vma, addr, pte, &sub);
		if (!page)
			goto one;
		folio = page_folio(page);
		if (folio_test_large(folio) || folio_ref_count(folio) != 1)
			goto one;
		if (folio_test_anon(folio)) {
			c |= VMI_TALLY_ANON;
			if (vmi_pagemap_exclusive(folio, page))
				c |= VMI_TALLY_EXCL;
		}
		if (folio_test_swapbacked(folio))
			c |= VMI_TALLY_SWAPBACKED;
		if (folio_test_ksm(folio))
			c |= VMI_TALLY_KSM;
		if (pte_young(pte) || vmi_smaps_young(folio, page) ||
		    folio_test_referenced(folio))
			c |= VMI_TALLY_REFERENCED;
		if (pte_dirty(pte) || folio_test_dirty(folio))
			c |= VMI_TALLY_DIRTY;
		if (!(used & BIT_ULL(c))) {
			used |= BIT_ULL(c);
			tally[c] = 0;
		}
		tally[c]++;
		continue;
one:
		vmi_share_pte(w, pte, addr);
	}
	while (used) {
		unsigned int c = __ffs64(used);

		used &= used - 1;
		vmi_share_fold(vmi_walk_mss(w), c, tally[c], vma->vm_flags & VM_LOCKED);
	}
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
	if (!present || !folio_test_anon(folio))
		return;
	/*
	 * Mapped by this PMD alone (its one reference): pagemap finds each of
	 * its pages mapped once, and so exclusive, on every release.
	 */
	if (folio_ref_count(folio) == 1) {
		mss->anon_excl += HPAGE_PMD_SIZE;
		return;
	}
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

/*
 * .more, for the rollup alone (vmi_share_rollup(); other walks take none):
 * the next VMA, if it lies wholly in the PTE table the walk is in (its
 * entries are read under the lock already held) and vmi_share_gather() would
 * walk it with vmi_share_ops with nothing counted per VMA: not hugetlb, not
 * shmem (whose swap is the object's).  The VMAs are stepped through with the
 * walk's own iterator: the caller holds the mmap lock from vmi_share_gather()
 * on.
 */
static bool vmi_share_more(struct vmi_walk *w, unsigned long from,
			   unsigned long table_end, unsigned long *end)
{
	struct vmi_share_walk *sw = container_of(w, struct vmi_share_walk, w);
	struct vm_area_struct *vma;

	if (!sw->more)
		return false;
	mmap_assert_locked(w->mm);
	vma = vma_next(&sw->iter);
	if (!vma || vma->vm_start < from || vma->vm_end > table_end ||
	    is_vm_hugetlb_page(vma) ||
	    (vma->vm_file && shmem_mapping(vma->vm_file->f_mapping)))
		return false;
	w->vma = vma;
	sw->more->vmas++;
	sw->more->end = vma->vm_end;
	*end = vma->vm_end;
	return true;
}

static const struct vmi_locked_ops vmi_share_ops = {
	.pte		= vmi_share_pte,
	.ptes		= vmi_share_ptes,
	.pmd		= vmi_share_pmd,
	.hugetlb	= vmi_share_hugetlb,
	.more		= vmi_share_more,
};

/* no .ptes: it would take the place of .hole (walk.c) */
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
 * With @more (the rollup alone), the VMAs after @vma that lie wholly in its
 * last PTE table are counted too, each as smap_gather_stats() would count
 * it: @more says how many and where the last one ends.
 */
int vmi_share_gather(struct vmi_view *v, struct vm_area_struct *vma,
		     struct vmi_mss *mss, unsigned long start, bool *hole,
		     bool first, unsigned long *resume, struct vmi_share_more *more)
{
	struct vmi_share_walk sw __uninitialized;	/* vmi_walk_init() and below */
	int err;

	/*
	 * Decided for the VMA walked now, on every call: after the lock was
	 * given up, the walk goes on in whatever VMA holds the address then,
	 * as smap_gather_stats() does with a non-zero start.
	 */
	*hole = false;
	if (vma->vm_file && shmem_mapping(vma->vm_file->f_mapping)) {
		/*
		 * As smaps: a shared or read-only shmem mapping's swap is the
		 * object's, counted once at the start of the line; a private
		 * writable one may have COW copies, and a resumed walk cannot
		 * count the object's, so their holes are looked up one by one.
		 */
		unsigned long swapped = vmi_shmem_swap_usage(vma);

		if (first && (!swapped || (vma->vm_flags & VM_SHARED) ||
			      !(vma->vm_flags & VM_WRITE)))
			mss->swap += swapped;
		else
			*hole = true;
	}
	vmi_walk_init(&sw.w, NULL, &v->pmd_cache);
	sw.w.lops = *hole ? &vmi_share_shmem_ops : &vmi_share_ops;
	sw.w.yield = vmi_share_yield;
	sw.mss = mss;
	sw.shmem = *hole ? vma->vm_file->f_mapping : NULL;
	sw.more = more;
	if (more)
		vma_iter_init(&sw.iter, vma->vm_mm, vma->vm_end);
	err = vmi_walk_range(&sw.w, vma, start, vma->vm_end);
	vmi_stat_walk(v, &sw.w);
	*resume = sw.w.resume;
	return err;
}
