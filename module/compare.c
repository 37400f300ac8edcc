// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the share view's compare view, two processes compared (a share
 * file written "PID1 PID2", share.c).
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
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include "compat.h"
#include "fmt.h"
#include "share.h"
#include "vmainfo.h"

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

void vmi_cmp_line(struct seq_file *m, unsigned long start, unsigned long end,
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

void vmi_cmp_header(struct seq_file *m, struct vmi_share_view *sv)
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
 * As vmi_share_show_vma(): the line starts at sv->from if the VMA grew below
 * it; after the lock was dropped, the line goes on in the VMA that then holds
 * the address where it stopped, and ends where that VMA ends (or where it
 * stopped, if no VMA holds it any more).
 */
int vmi_cmp_show_vma(struct seq_file *m, struct vmi_share_view *sv,
		     struct vm_area_struct *vma)
{
	struct vmi_view *v = &sv->v;
	struct mm_struct *mm = v->t.mm;
	struct vmi_cmp *c = &sv->cmp;
	unsigned long start = max(vma->vm_start, sv->from), pos = start, end, wend;
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
	/* a line that did not fit is shown again, and counted then */
	if (seq_has_overflowed(m))
		return 0;
	if (!sv->any)
		sv->first_start = start;
	sv->any = true;
	sv->rolled_end = end;
	for (i = 0; i < VMAINFO_COMPARE_NR; i++)
		sv->cmp_rollup[i] += c->cnt[i];
	return 0;
}
