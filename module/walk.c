// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the module's own page-table walker, pgd -> p4d -> pud -> pmd -> pte.
 *
 * walk_page_range(), pte_offset_map() and follow_pte() are not available to
 * modules on every supported kernel, so this walks the tables itself, with the
 * caller holding mmap_read_lock(), or the read lock of the VMA walked (7.2's
 * per-VMA locks, compat.h), and walking only ranges of VMAs that are in the
 * mm's tree (so the upper levels cannot be freed under it: free_pgtables()
 * only frees tables of detached ranges, and a VMA cannot be detached while
 * read-locked, the rule page faults under a VMA lock rely on; shared hugetlb
 * PMD tables are the exception, handled in vmi_walk_range()).
 *
 * PTE tables are different: since 6.5 khugepaged's retract_page_tables() can
 * free a PTE table without mmap_lock, deferred by RCU (pte_free_defer()).  So
 * the PTE level follows __pte_offset_map() in mm/pgtable-generic.c and
 * gup_fast_pte_range() in mm/gup.c: read the PMD once, locklessly, reject
 * none/leaf/bad values, map the table from that snapshot inside
 * rcu_read_lock(), read the entries with ptep_get_lockless(), then re-read the
 * PMD and retry if it changed.  Inside the RCU section the entries are only
 * tallied (counts mode) or compressed into runs (run mode, for the page map);
 * the result is kept only if the re-check passes, so nothing is reported
 * from a table that was replaced while it was read.
 *
 * Nothing here dereferences a struct page: only entry values are read, so
 * VM_PFNMAP and VM_IO mappings are as safe to walk as any other.  The locked
 * mode (smaps.c's and compare.c's callbacks) is the exception, and it hands over each entry
 * under the page-table lock that maps it, as smaps does.
 *
 * vmi_walk_range() returns 0, a run callback's value, -EINTR on a fatal
 * signal, or -EAGAIN (w->yield said a writer waits for our lock).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include "compat.h"
#include "vmainfo.h"

#define VMI_PMD_RETRIES	4

int vmi_walk_flush(struct vmi_walk *w)
{
	int ret;

	if (!w->run || !w->run_npages)
		return 0;
	ret = w->run(w, w->run_start, w->run_npages, w->run_state,
		     w->run_flags, w->run_pfn);
	w->run_npages = 0;
	return ret;
}

static inline void vmi_count(struct vmi_counts *c, unsigned long npages,
			     unsigned int state, unsigned int flags)
{
	switch (state) {
	case VMI_PAGE_HUGE:
		c->huge += npages;
		fallthrough;
	case VMI_PAGE_PRESENT:
		c->present += npages;
		break;
	case VMI_PAGE_SWAP:
		c->swap += npages;
		break;
	}
	if (flags) {
		if (flags & VMI_PF_DIRTY)
			c->dirty += npages;
		if (flags & VMI_PF_YOUNG)
			c->young += npages;
		if (flags & VMI_PF_WRITE)
			c->write += npages;
		if (flags & VMI_PF_SOFTDIRTY)
			c->softdirty += npages;
		if (flags & VMI_PF_ZERO)
			c->zero += npages;
	}
}

/* Account @npages pages at @addr with one state; merge into the open run. */
static int vmi_note(struct vmi_walk *w, unsigned long addr, unsigned long npages,
		    unsigned int state, unsigned int flags, unsigned long pfn)
{
	int ret;

	vmi_count(&w->counts, npages, state, flags);
	if (!w->run)
		return 0;

	if (w->run_npages && state == w->run_state && flags == w->run_flags &&
	    addr == w->run_start + (w->run_npages << PAGE_SHIFT) &&
	    (!w->want_pfn || state == VMI_PAGE_NONE || state == VMI_PAGE_SWAP ||
	     pfn == w->run_pfn + w->run_npages)) {
		w->run_npages += npages;
		return 0;
	}
	ret = vmi_walk_flush(w);
	if (ret)
		return ret;
	w->run_start = addr;
	w->run_npages = npages;
	w->run_state = state;
	w->run_flags = flags;
	w->run_pfn = w->want_pfn ? pfn : 0;
	return 0;
}

static inline int vmi_none(struct vmi_walk *w, unsigned long addr, unsigned long end)
{
	if (!w->run) {
		/* counts only: an empty range costs nothing */
		if (unlikely(w->lops) && w->lops->hole)
			w->lops->hole(w, addr, end, false);
		return 0;
	}
	return vmi_note(w, addr, (end - addr) >> PAGE_SHIFT, VMI_PAGE_NONE, 0, 0);
}

/* State and flags of one PTE value (not none). */
static inline unsigned int vmi_pte_state(pte_t pte, unsigned int *flags)
{
	unsigned int f = 0;

	if (pte_present(pte)) {
		if (pte_dirty(pte))
			f |= VMI_PF_DIRTY;
		if (pte_young(pte))
			f |= VMI_PF_YOUNG;
		if (pte_write(pte))
			f |= VMI_PF_WRITE;
		if (pte_soft_dirty(pte))
			f |= VMI_PF_SOFTDIRTY;
		if (is_zero_pfn(pte_pfn(pte)))
			f |= VMI_PF_ZERO;
		*flags = f;
		return VMI_PAGE_PRESENT;
	}
	/* swap, migration, device or marker entry: pagemap's PM_SWAP */
	if (pte_swp_soft_dirty(pte))
		f |= VMI_PF_SOFTDIRTY;
	*flags = f;
	return VMI_PAGE_SWAP;
}

/*
 * Inside rcu_read_lock(): is the PMD still the value read before?  The table
 * it points to is only safe to map if it was still linked after the RCU
 * section began (pte_free_defer() frees it a grace period after unlinking),
 * as __pte_offset_map() does by reading the PMD inside the section.  If not,
 * leave the section and let the caller retry.
 */
static inline bool vmi_pmd_moved(pmd_t *pmdp, pmd_t pmdval, bool *changed)
{
	*changed = pmd_val(vmi_pmdp_get_lockless(pmdp)) != pmd_val(pmdval);
	if (*changed)
		rcu_read_unlock();
	return *changed;
}

/*
 * Leave the RCU section after reading the table: did the PMD keep its value
 * meanwhile?  If not, what was read may come from a table being replaced, and
 * the caller drops it and retries.
 */
static inline bool vmi_pmd_changed(pmd_t *pmdp, pmd_t pmdval, bool *changed)
{
	*changed = pmd_val(vmi_pmdp_get_lockless(pmdp)) != pmd_val(pmdval);
	rcu_read_unlock();
	return *changed;
}

/*
 * Counts of [addr, end), which ends inside its PTE table, from the walk's
 * table snapshot: entries already read under this lock hold are not read
 * again, and the next read reaches twice as far as the last one (but not
 * beyond the table), so a table shared by k small VMAs is read in about
 * log2(k) RCU sections instead of k, and a lone VMA reads no more than its
 * own entries.  The snapshot is used only while the PMD still holds the value
 * it was read under (vmi_pmd_one() has just read it); the lock hold bounds
 * its age, as it bounds the age of any line of the text.
 */
static int vmi_pte_snap_counts(struct vmi_walk *w, pmd_t *pmdp, pmd_t pmdval,
			       unsigned long addr, unsigned long end, bool *changed)
{
	struct vmi_pte_snap *s = w->snap;
	unsigned int a = pte_index(addr), b = a + ((end - addr) >> PAGE_SHIFT);
	unsigned int i, hi, x, flags;
	pte_t *table;

	*changed = false;
	if (s->pmdp != pmdp || pmd_val(s->pmdval) != pmd_val(pmdval) ||
	    a < s->lo || a > s->hi) {
		/* another table, or not next to what was read: start afresh */
		s->pmdp = NULL;
		s->lo = a;
		s->hi = a;
		s->ext = 0;
	}
	if (b > s->hi) {
		hi = min_t(unsigned int, PTRS_PER_PTE, max(b, s->hi + 2 * s->ext));
		rcu_read_lock();
		if (vmi_pmd_moved(pmdp, pmdval, changed)) {
			s->pmdp = NULL;
			return 0;
		}
		table = pte_offset_kernel(&pmdval, addr & PMD_MASK);
		for (i = s->hi; i < hi; i++) {
			pte_t pte = ptep_get_lockless(table + i);

			x = VMI_PAGE_NONE;
			if (!pte_none(pte)) {
				x = vmi_pte_state(pte, &flags);
				x |= flags << VMI_SNAP_FLAGS_SHIFT;
			}
			s->st[i] = x;
		}
		if (vmi_pmd_changed(pmdp, pmdval, changed)) {
			s->pmdp = NULL;
			return 0;
		}
		w->entries += hi - s->hi;
		s->ext = hi - s->hi;
		s->hi = hi;
		s->pmdp = pmdp;
		s->pmdval = pmdval;
	}
	for (i = a; i < b; i++) {
		x = s->st[i];
		if (x)
			vmi_count(&w->counts, 1, x & ((1U << VMI_SNAP_FLAGS_SHIFT) - 1),
				  x >> VMI_SNAP_FLAGS_SHIFT);
	}
	return 0;
}

/*
 * Locked mode, .more (share's rollup): the range [@addr, @end) of the table
 * at @ptep ended inside the table with its VMA; the VMAs after it that lie
 * wholly in the table are counted now, under the lock already held, each as
 * w->vma.  At most the table's PTRS_PER_PTE entries in all.
 */
static void vmi_pte_more(struct vmi_walk *w, pte_t *ptep, unsigned long addr,
			 unsigned long end)
{
	struct vm_area_struct *vma = w->vma;
	unsigned long table_end = (addr & PMD_MASK) + PMD_SIZE, from = end, n;

	if (end != vma->vm_end)
		return;		/* the VMA goes on: nothing after it here */
	while (w->lops->more(w, from, table_end, &end)) {
		from = w->vma->vm_start;
		n = (end - from) >> PAGE_SHIFT;
		w->lops->ptes(w, ptep + ((from - addr) >> PAGE_SHIFT), from, n);
		w->entries += n;
		from = end;
	}
	w->vma = vma;
}

/*
 * Locked mode: [addr, end) of the PTE table of @pmdval under the table's
 * lock, as __pte_offset_map_lock() (mm/pgtable-generic.c, not exported on
 * 6.12 and 7.2) takes it: map the table from the PMD value seen inside
 * rcu_read_lock(), take pte_lockptr() of that value, and only if the PMD
 * still holds it once the lock is held, read the entries with ptep_get() and
 * hand them to the callbacks, which may then read their struct page: a PTE
 * table's lock excludes zap, split, collapse and retract_page_tables() of it,
 * so a page mapped by an entry seen under the lock stays mapped (and its
 * folio allocated) until the lock is dropped.  One table per lock hold, as
 * smaps_pte_range() (which is called for one VMA; with .more, the table's
 * other VMAs are counted in the same hold).
 */
static int vmi_pte_locked(struct vmi_walk *w, pmd_t *pmdp, pmd_t pmdval,
			  unsigned long addr, unsigned long end, bool *changed)
{
	const struct vmi_locked_ops *ops = w->lops;
	unsigned long n = (end - addr) >> PAGE_SHIFT, i;
	spinlock_t *ptl;
	pte_t *ptep;

	rcu_read_lock();
	if (vmi_pmd_moved(pmdp, pmdval, changed))
		return 0;
	ptep = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(w->mm, &pmdval);
	spin_lock(ptl);
	if (pmd_val(vmi_pmdp_get_lockless(pmdp)) != pmd_val(pmdval)) {
		/* __pte_offset_map_lock(): replaced before we locked it */
		spin_unlock(ptl);
		rcu_read_unlock();
		*changed = true;
		return 0;
	}
	if (ops->ptes) {
		ops->ptes(w, ptep, addr, n);
		if (ops->more && (end & ~PMD_MASK))
			vmi_pte_more(w, ptep, addr, end);
	} else {
		for (i = 0; i < n; i++, addr += PAGE_SIZE) {
			pte_t pte = ptep_get(ptep + i);

			if (!pte_none(pte))
				ops->pte(w, pte, addr);
			else if (ops->hole)
				ops->hole(w, addr, addr + PAGE_SIZE, true);
		}
	}
	spin_unlock(ptl);
	rcu_read_unlock();
	w->entries += n;
	return 0;
}

/*
 * After a none entry, at @i, a multiple of 8: the start of the first group
 * of 8 entries from @i on that holds a value other than 0 (or of the last,
 * shorter, group), passing whole groups of zeros with one test each.  An
 * entry of 0 is none on x86-64 and arm64; the caller reads the entries from
 * the one returned one at a time as before, so a nonzero entry that is none
 * (x86 ignores its erratum bits) is classified as before, and calls again
 * only at the next multiple of 8.  A sparse table is mostly zeros, and a
 * test of each costs a branch (under an emulator, a translated block each);
 * a group is one cache line, read at most twice.
 */
static __always_inline unsigned long vmi_zero_ptes_end(pte_t *ptep, unsigned long i,
						       unsigned long n)
{
	for (; i + 8 <= n; i += 8)
		if (pte_val(READ_ONCE(ptep[i])) | pte_val(READ_ONCE(ptep[i + 1])) |
		    pte_val(READ_ONCE(ptep[i + 2])) | pte_val(READ_ONCE(ptep[i + 3])) |
		    pte_val(READ_ONCE(ptep[i + 4])) | pte_val(READ_ONCE(ptep[i + 5])) |
		    pte_val(READ_ONCE(ptep[i + 6])) | pte_val(READ_ONCE(ptep[i + 7])))
			break;
	return i;
}

static int vmi_pte_range(struct vmi_walk *w, pmd_t *pmdp, pmd_t pmdval,
			 unsigned long addr, unsigned long end, bool *changed)
{
	unsigned long n = (end - addr) >> PAGE_SHIFT, i, j;
	unsigned int state, flags;
	pte_t *ptep;
	int ret;

	if (w->lops)
		return vmi_pte_locked(w, pmdp, pmdval, addr, end, changed);
	/* a range that ends inside the table: later VMAs may share the table */
	if (!w->run && w->snap && (end & ~PMD_MASK))
		return vmi_pte_snap_counts(w, pmdp, pmdval, addr, end, changed);
	if (!w->run) {
		/*
		 * Counts only: classify in place into a local tally, and keep it
		 * only if the PMD still points to the table we read.
		 */
		struct vmi_counts c = {};

		rcu_read_lock();
		if (vmi_pmd_moved(pmdp, pmdval, changed))
			return 0;
		ptep = pte_offset_kernel(&pmdval, addr);
		for (i = 0; i < n;) {
			pte_t pte = ptep_get_lockless(ptep + i);

			if (pte_none(pte)) {
				if (!(++i % 8))
					i = vmi_zero_ptes_end(ptep, i, n);
				continue;
			}
			state = vmi_pte_state(pte, &flags);
			vmi_count(&c, 1, state, flags);
			i++;
		}
		if (vmi_pmd_changed(pmdp, pmdval, changed))
			return 0;
		w->entries += n;
		w->counts.present += c.present;
		w->counts.swap += c.swap;
		w->counts.dirty += c.dirty;
		w->counts.young += c.young;
		w->counts.write += c.write;
		w->counts.softdirty += c.softdirty;
		w->counts.zero += c.zero;
		return 0;
	}

	/*
	 * Run mode: compress the table into runs in place, under RCU; replay
	 * them (emitting text) only after the PMD re-check has passed.
	 */
	rcu_read_lock();
	if (vmi_pmd_moved(pmdp, pmdval, changed))
		return 0;
	ptep = pte_offset_kernel(&pmdval, addr);
	for (i = 0, j = 0; i < n;) {
		unsigned long start = i, pfn = 0;
		pte_t pte = __pte(0);

		/*
		 * none entries, the bulk of a sparse table: the tightest loop.
		 * The first entry that is not none is used as read here: read
		 * again, it could be none by now (MADV_DONTNEED needs only the
		 * mmap read lock) and would pass for a swap entry.
		 */
		while (i < n) {
			pte = ptep_get_lockless(ptep + i);
			if (!pte_none(pte))
				break;
			if (!(++i % 8))
				i = vmi_zero_ptes_end(ptep, i, n);
		}
		if (i > start)
			w->runbuf[j++] = (struct vmi_lrun){ .i = start, .n = i - start,
							    .state = VMI_PAGE_NONE };
		if (i == n)
			break;
		/* then entries of one state and flags (and contiguous frames) */
		start = i;
		state = vmi_pte_state(pte, &flags);
		if (state == VMI_PAGE_PRESENT)
			pfn = pte_pfn(pte);
		for (i++; i < n; i++) {
			unsigned int s, f;

			pte = ptep_get_lockless(ptep + i);
			if (pte_none(pte))
				break;
			s = vmi_pte_state(pte, &f);
			if (s != state || f != flags ||
			    (w->want_pfn && s == VMI_PAGE_PRESENT &&
			     pte_pfn(pte) != pfn + (i - start)))
				break;
		}
		w->runbuf[j++] = (struct vmi_lrun){ .i = start, .n = i - start,
						    .state = state, .flags = flags,
						    .pfn = pfn };
	}
	if (vmi_pmd_changed(pmdp, pmdval, changed))
		return 0;

	w->entries += n;
	for (i = 0; i < j; i++) {
		struct vmi_lrun *r = &w->runbuf[i];

		ret = vmi_note(w, addr + ((unsigned long)r->i << PAGE_SHIFT), r->n,
			       r->state, r->flags, r->pfn);
		if (ret)
			return ret;
	}
	return 0;
}

static unsigned int vmi_pmd_flags(pmd_t pmd)
{
	unsigned int flags = 0;

	if (pmd_dirty(pmd))
		flags |= VMI_PF_DIRTY;
	if (pmd_young(pmd))
		flags |= VMI_PF_YOUNG;
	if (pmd_write(pmd))
		flags |= VMI_PF_WRITE;
	if (pmd_soft_dirty(pmd))
		flags |= VMI_PF_SOFTDIRTY;
	return flags;
}

/*
 * The entry of a hugetlb page whose slot at @ptep (a PUD, PMD or PTE slot:
 * @shift is its level's) maps @addr, for [addr, next).  A page of the
 * level's own size has one slot; arm64's contiguous sizes (64 KiB: 16 PTE
 * slots, 32 MiB: 16 PMD slots) have 16, and the entry is read from the first
 * of them, as walk_hugetlb_range() hands pagemap_hugetlb_range() the slot of
 * the page's start (huge_pte_offset()).  Read and judged as that does:
 * huge_ptep_get(), then pte_present(), which counts a PROT_NONE entry as
 * present (x86's pud_present() would not).  pagemap sets neither its present
 * nor its swap bit for any other non-none hugetlb entry (migration,
 * hwpoison, a uffd-wp marker), so neither do we: such an entry counts as an
 * entry visited, and its pages as none.
 */
static int vmi_hugetlb_leaf(struct vmi_walk *w, pte_t *ptep, unsigned int shift,
			    unsigned long addr, unsigned long next)
{
	unsigned long hsize = 1UL << w->hshift, hmask = ~(hsize - 1);
	unsigned int flags = 0;
	pte_t pte;

	/* pud_t, pmd_t and pte_t slots have one size: step back in pte_t */
	BUILD_BUG_ON(sizeof(pmd_t) != sizeof(pte_t) || sizeof(pud_t) != sizeof(pte_t));
	ptep -= (addr & (hsize - 1)) >> shift;
	if (w->lops) {
		/*
		 * As smaps_hugetlb_range(): once per huge page (an arm64
		 * contiguous page spans 16 slots and this is called for each
		 * PMD of it), under huge_pte_lock().  A locked walk yields only
		 * at a huge page's boundary, so it never starts inside one.
		 */
		spinlock_t *ptl;

		if (addr & (hsize - 1))
			return 0;
		ptl = huge_pte_lock(hstate_vma(w->vma), w->mm, ptep);
		pte = vmi_huge_ptep_get(w->mm, addr, ptep, hsize);
		if (!pte_none(pte))
			w->lops->hugetlb(w, ptep, pte, addr);
		spin_unlock(ptl);
		w->entries++;
		return 0;
	}
	pte = vmi_huge_ptep_get(w->mm, addr & hmask, ptep, hsize);
	if (pte_none(pte))
		return vmi_none(w, addr, next);
	w->entries++;
	if (!pte_present(pte))
		return vmi_note(w, addr, (next - addr) >> PAGE_SHIFT, VMI_PAGE_NONE, 0, 0);
	if (pte_dirty(pte))
		flags |= VMI_PF_DIRTY;
	if (pte_young(pte))
		flags |= VMI_PF_YOUNG;
	if (pte_write(pte))
		flags |= VMI_PF_WRITE;
	if (pte_soft_dirty(pte))
		flags |= VMI_PF_SOFTDIRTY;
	return vmi_note(w, addr, (next - addr) >> PAGE_SHIFT, VMI_PAGE_HUGE, flags,
			pte_pfn(pte) + ((addr & ~hmask) >> PAGE_SHIFT));
}

/*
 * Hugetlb pages smaller than a PMD (arm64's 64 KiB contiguous PTEs) in the
 * PTE table of @pmdval, for [addr, end): one leaf per page.  A hugetlb VMA's
 * PTE tables are never retracted by khugepaged (it leaves hugetlb alone), so
 * only free_pgtables() frees them, which needs the VMA detached: the
 * caller's mmap_read_lock() or VMA read lock (and i_mmap lock for shared
 * ones) keeps them.
 */
static int vmi_hugetlb_ptes(struct vmi_walk *w, pmd_t pmdval, unsigned long addr,
			    unsigned long end)
{
	pte_t *table = pte_offset_kernel(&pmdval, addr & PMD_MASK);
	unsigned long next;
	int ret;

	do {
		next = min(ALIGN(addr + 1, 1UL << w->hshift), end);
		ret = vmi_hugetlb_leaf(w, table + pte_index(addr), PAGE_SHIFT, addr, next);
		if (ret)
			return ret;
	} while (addr = next, addr != end);
	return 0;
}

/*
 * Locked mode: a PMD leaf (THP, DAX) or non-present PMD (migration entry),
 * under pmd_lock() as pmd_trans_huge_lock() (its __pmd_trans_huge_lock() is
 * not exported) takes it: the entry is read again under the lock, and if it
 * has become a table meanwhile (split), -EAGAIN has the caller read it again.
 */
static int vmi_pmd_locked(struct vmi_walk *w, pmd_t *pmdp, unsigned long addr,
			  unsigned long next)
{
	spinlock_t *ptl = pmd_lock(w->mm, pmdp);
	pmd_t pmd = vmi_pmdp_get_lockless(pmdp);	/* stable: the lock is held */

	if (pmd_none(pmd)) {
		spin_unlock(ptl);
		return vmi_none(w, addr, next);
	}
	if (pmd_present(pmd) && !pmd_leaf(pmd)) {
		spin_unlock(ptl);
		return -EAGAIN;
	}
	w->lops->pmd(w, pmd, addr, next);
	spin_unlock(ptl);
	w->entries++;
	return 0;
}

/* One PMD entry, for [addr, next) inside its range. */
static int vmi_pmd_one(struct vmi_walk *w, pmd_t *pmdp, unsigned long addr,
		       unsigned long next)
{
	unsigned int tries = 0;
	bool changed;
	pmd_t pmdval;
	int ret;

again:
	pmdval = vmi_pmdp_get_lockless(pmdp);
	if (pmd_none(pmdval))
		return vmi_none(w, addr, next);
	if (w->hshift >= PMD_SHIFT)
		return vmi_hugetlb_leaf(w, (pte_t *)pmdp, PMD_SHIFT, addr, next);
	if (w->lops && (!pmd_present(pmdval) || pmd_leaf(pmdval))) {
		ret = vmi_pmd_locked(w, pmdp, addr, next);
		if (ret != -EAGAIN)
			return ret;
		if (++tries < VMI_PMD_RETRIES)
			goto again;
		return vmi_none(w, addr, next);
	}
	if (!pmd_present(pmdval)) {
		/* PMD-level migration entry (THP) */
		w->entries++;
		return vmi_note(w, addr, (next - addr) >> PAGE_SHIFT, VMI_PAGE_SWAP, 0, 0);
	}
	if (pmd_leaf(pmdval)) {
		/* transparent huge page (hugetlb returned above) */
		w->entries++;
		/*
		 * An anonymous THP keeps a PTE table deposited for its split
		 * (pgtable_trans_huge_deposit()); the kernel counts it in
		 * pgtables_bytes though no PMD points to it.
		 */
		if (w->count_tables && w->anon && pmd_trans_huge(pmdval))
			w->tables.thp_deposit++;
		return vmi_note(w, addr, (next - addr) >> PAGE_SHIFT, VMI_PAGE_HUGE,
				vmi_pmd_flags(pmdval),
				pmd_pfn(pmdval) + ((addr & ~PMD_MASK) >> PAGE_SHIFT));
	}
	if (pmd_bad(pmdval)) {
		w->bad++;
		return vmi_none(w, addr, next);
	}
	if (w->count_tables && w->last_pte != pmdp) {
		w->last_pte = pmdp;
		w->tables.pte++;
	}
	if (w->tables_only)
		return 0;
	if (w->hshift)	/* hugetlb below PMD size: arm64's 64 KiB pages */
		return vmi_hugetlb_ptes(w, pmdval, addr, next);
	ret = vmi_pte_range(w, pmdp, pmdval, addr, next, &changed);
	if (!ret && changed) {
		/* collapsed, split or freed while we read it */
		w->retries++;
		if (++tries < VMI_PMD_RETRIES)
			goto again;
		ret = vmi_none(w, addr, next);
	}
	return ret;
}

static int vmi_pmd_range(struct vmi_walk *w, pud_t pudval, unsigned long addr,
			 unsigned long end)
{
	pmd_t *pmdp = pmd_offset(&pudval, addr);
	unsigned long next;
	int ret;

	do {
		/* One PTE table at most between checks: a 1 TiB VMA is 512K. */
		if (fatal_signal_pending(current))
			return -EINTR;
		next = pmd_addr_end(addr, end);
		/* Remember the slot: the next small VMA may lie in its range. */
		w->cache->pmdp = pmdp;
		w->cache->base = addr & PMD_MASK;
		ret = vmi_pmd_one(w, pmdp, addr, next);
		if (ret)
			return ret;
		if (!w->tables_only)
			cond_resched();
		/*
		 * A writer waits for our lock (w->yield): stop between two PTE
		 * tables, never inside a huge page; the caller gives the lock
		 * up and walks on from w->resume.
		 */
		if (w->yield && next != w->end && !(next & ((1UL << w->hshift) - 1)) &&
		    w->yield(w)) {
			w->resume = next;
			return -EAGAIN;
		}
	} while (pmdp++, addr = next, addr != end);
	return 0;
}

static int vmi_pud_range(struct vmi_walk *w, p4d_t *p4dp, unsigned long addr,
			 unsigned long end)
{
	pud_t *pudp = pud_offset(p4dp, addr);
	unsigned long next;
	int ret;

	do {
		pud_t pudval = READ_ONCE(*pudp);

		next = pud_addr_end(addr, end);
		if (pud_none(pudval)) {
			ret = vmi_none(w, addr, next);
		} else if (w->hshift >= PUD_SHIFT) {
			/* 1 GiB hugetlb: PROT_NONE is present, as in pagemap */
			ret = vmi_hugetlb_leaf(w, (pte_t *)pudp, PUD_SHIFT, addr, next);
		} else if (w->lops && (pud_leaf(pudval) || !pud_present(pudval))) {
			/* smaps has no PUD handler: a DAX PUD counts nothing */
			ret = 0;
		} else if (pud_leaf(pudval)) {
			/*
			 * DAX at PUD level.  6.12's x86 pud_leaf() is PSE alone,
			 * so PROT_NONE is a leaf; 6.1's (pud_large()) also wants
			 * PRESENT, so there a PROT_NONE DAX PUD counts as swap.
			 */
			unsigned int flags = 0;

			if (vmi_pud_dirty(pudval))
				flags |= VMI_PF_DIRTY;
			if (pud_young(pudval))
				flags |= VMI_PF_YOUNG;
			if (pud_write(pudval))
				flags |= VMI_PF_WRITE;
			if (vmi_pud_soft_dirty(pudval))
				flags |= VMI_PF_SOFTDIRTY;
			w->entries++;
			ret = vmi_note(w, addr, (next - addr) >> PAGE_SHIFT,
				       VMI_PAGE_HUGE, flags, pud_pfn(pudval) +
				       ((addr & ~PUD_MASK) >> PAGE_SHIFT));
		} else if (!pud_present(pudval)) {
			w->entries++;
			ret = vmi_note(w, addr, (next - addr) >> PAGE_SHIFT,
				       VMI_PAGE_SWAP, 0, 0);
		} else if (pud_bad(pudval)) {
			w->bad++;
			ret = vmi_none(w, addr, next);
		} else {
			if (w->count_tables && w->last_pmd != pudp) {
				w->last_pmd = pudp;
				w->tables.pmd++;
			}
			ret = vmi_pmd_range(w, pudval, addr, next);
		}
		if (ret)
			return ret;
	} while (pudp++, addr = next, addr != end);
	return 0;
}

static int vmi_p4d_range(struct vmi_walk *w, pgd_t *pgdp, unsigned long addr,
			 unsigned long end)
{
	p4d_t *p4dp = p4d_offset(pgdp, addr);
	unsigned long next;
	int ret;

	do {
		p4d_t p4dval = READ_ONCE(*p4dp);

		next = p4d_addr_end(addr, end);
		if (p4d_none(p4dval) || p4d_bad(p4dval)) {
			ret = vmi_none(w, addr, next);
		} else {
			if (w->count_tables && w->last_pud != p4dp) {
				w->last_pud = p4dp;
				w->tables.pud++;
			}
			ret = vmi_pud_range(w, p4dp, addr, next);
		}
		if (ret)
			return ret;
	} while (p4dp++, addr = next, addr != end);
	return 0;
}

static __always_inline int vmi_walk_levels(struct vmi_walk *w, struct vm_area_struct *vma,
					   unsigned long start, unsigned long end);

/*
 * Walk [start, end) of @vma (page aligned, inside the VMA).  The caller holds
 * mmap_read_lock(vma->vm_mm) or @vma's read lock.  Returns 0, the run
 * callback's non-zero value, -EINTR on a fatal signal (checked before each
 * PMD entry, so at most one PTE table, read at most VMI_PMD_RETRIES times,
 * after a SIGKILL), or -EAGAIN when w->yield said a writer waits.
 *
 * Shared hugetlb mappings may share PMD tables between processes, and
 * huge_pmd_unshare() plus a munmap() elsewhere can free such a table under
 * our mmap_read_lock; i_mmap_rwsem, held for reading, keeps unsharing out
 * (it needs the lock for writing).  Nothing of such a walk is remembered.
 */
int vmi_walk_range(struct vmi_walk *w, struct vm_area_struct *vma,
		   unsigned long start, unsigned long end)
{
	struct address_space *mapping = NULL;
	int ret;

	/* What is packed into bytes and shorts must fit (vmainfo.h). */
	BUILD_BUG_ON(VMI_PF_MASK != (VMI_PF_DIRTY | VMI_PF_YOUNG | VMI_PF_WRITE |
				     VMI_PF_SOFTDIRTY | VMI_PF_ZERO));
	BUILD_BUG_ON(VMI_PAGE_SWAP >= 1U << VMI_SNAP_FLAGS_SHIFT);	/* vmi_pte_snap.st[] */
	BUILD_BUG_ON(VMI_PF_MASK << VMI_SNAP_FLAGS_SHIFT > U8_MAX);
	BUILD_BUG_ON(VMI_PAGE_SWAP > U8_MAX || VMI_PF_MASK > U8_MAX);	/* vmi_lrun */
	BUILD_BUG_ON(PTRS_PER_PTE > USHRT_MAX);
	vmi_assert_vma_stable(vma);
	w->end = end;
	if (is_vm_hugetlb_page(vma) && (vma->vm_flags & VM_MAYSHARE) && vma->vm_file) {
		mapping = vma->vm_file->f_mapping;
		i_mmap_lock_read(mapping);
	}
	ret = vmi_walk_levels(w, vma, start, end);
	if (mapping) {
		w->cache->pmdp = NULL;
		if (w->snap)
			w->snap->pmdp = NULL;
		i_mmap_unlock_read(mapping);
	}
	return ret;
}

/* Inlined into its one caller: with many small VMAs it runs once per VMA. */
static __always_inline int vmi_walk_levels(struct vmi_walk *w, struct vm_area_struct *vma,
					   unsigned long start, unsigned long end)
{
	pgd_t *pgdp = pgd_offset(vma->vm_mm, start);
	unsigned long addr = start, next;
	int ret;

	if (start >= end)
		return 0;
	w->anon = vma_is_anonymous(vma);
	w->mm = vma->vm_mm;
	w->vma = vma;
	w->hshift = is_vm_hugetlb_page(vma) ? huge_page_shift(hstate_vma(vma)) : 0;
	/*
	 * A range inside the PMD range walked last (many small VMAs) goes
	 * straight to that PMD slot.  The slot stays valid: the caller holds
	 * mmap_read_lock() since it was found (the cache is reset whenever a
	 * lock is taken, and for each VMA read-locked on its own), and its PMD
	 * table maps live VMAs, so free_pgtables() cannot free it.  The PMD value itself is re-read as always.
	 */
	if (w->cache->pmdp && (start & PMD_MASK) == w->cache->base &&
	    ((end - 1) & PMD_MASK) == w->cache->base && !w->count_tables) {
		if (fatal_signal_pending(current))
			return -EINTR;
		return vmi_pmd_one(w, w->cache->pmdp, start, end);
	}
	do {
		pgd_t pgdval = READ_ONCE(*pgdp);

		if (fatal_signal_pending(current))
			return -EINTR;
		next = pgd_addr_end(addr, end);
		if (pgd_none(pgdval) || pgd_bad(pgdval)) {
			ret = vmi_none(w, addr, next);
		} else {
			if (w->count_tables && pgtable_l5_enabled() &&
			    w->last_p4d != pgdp) {
				w->last_p4d = pgdp;
				w->tables.p4d++;
			}
			ret = vmi_p4d_range(w, pgdp, addr, next);
		}
		if (ret)
			return ret;
	} while (pgdp++, addr = next, addr != end);
	return 0;
}
