// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the header of the VMA text (/proc/vmainfo/<pid>, the query
 * files): the mm_struct summary as "key: value" lines, typed and named by
 * vmainfo_abi.h's VMAINFO_HDR_KEYS, the brk heap, the RSS counters and the
 * page-table census.  The VMA lines are format.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include "compat.h"
#include "fmt.h"
#include "vmainfo.h"

/* The header keys and their value types (vmainfo_abi.h). */
static const struct vmainfo_key_def vmi_hdr_defs[] = { VMAINFO_HDR_KEYS(VMAINFO_KEY_INIT) };
static const struct vmainfo_vtype_def vmi_vtypes[] = { VMAINFO_VTYPES(VMAINFO_VTYPE_INIT) };

/* "key: value unit" for a numeric key, as its type says. */
static void vmi_key(struct seq_file *m, enum vmainfo_hdr_key k, unsigned long v)
{
	const struct vmainfo_key_def *d = &vmi_hdr_defs[k];

	if (WARN_ON_ONCE(d->type == VMAINFO_V_WORD))
		return;
	seq_puts(m, d->name);
	if (d->type == VMAINFO_V_HEX) {
		seq_puts(m, ": 0x");
		vmi_put_hex(m, NULL, v, 1);
	} else {
		if (vmi_vtypes[d->type].sign)
			seq_put_decimal_ll(m, ": ", (long)v);
		else
			seq_put_decimal_ull(m, ": ", v);
		seq_puts(m, vmi_vtypes[d->type].unit);
	}
	seq_putc(m, '\n');
}

/* "key: " for a WORD key; its text and the newline follow. */
static void vmi_key_word_start(struct seq_file *m, enum vmainfo_hdr_key k)
{
	WARN_ON_ONCE(vmi_hdr_defs[k].type != VMAINFO_V_WORD);
	seq_puts(m, vmi_hdr_defs[k].name);
	seq_puts(m, ": ");
}

static void vmi_key_word(struct seq_file *m, enum vmainfo_hdr_key k, const char *s)
{
	vmi_key_word_start(m, k);
	seq_puts(m, s);
	seq_putc(m, '\n');
}

/* The VMAs that hold [start_brk, brk) and how they relate to it. */
static void vmi_show_heap(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long start = mm->start_brk, end = PAGE_ALIGN(mm->brk);
	struct vm_area_struct *vma;
	unsigned int n = 0;
	bool merged = false;
	const char *layout;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		n++;
		if (vma->vm_start < start || vma->vm_end > end)
			merged = true;
	}
	if (mm->brk == mm->start_brk)
		layout = "empty";
	else if (!n)
		layout = "unmapped";
	else if (merged)
		layout = "merged";	/* shares a VMA with a neighbour */
	else if (n > 1)
		layout = "split";	/* e.g. by mprotect() of part of it */
	else
		layout = "single";
	vmi_key(m, VMAINFO_HDR_heap_vmas, n);
	vmi_key_word(m, VMAINFO_HDR_heap_layout, layout);
}

/* vmi_walk's yield: does a writer wait for the mmap lock the view holds? */
static bool vmi_header_yield(struct vmi_walk *w)
{
	return vmi_view_writer_waits(w->priv);
}

/*
 * Count page-table pages per level, reading no PTEs.  Tables are counted once
 * each (the walker remembers the last one per level), and the walk jumps from
 * one PMD range to the next VMA beyond it: with many small VMAs it costs
 * O(PMD ranges in use), not O(VMAs).  If a writer waits for the lock held,
 * it is given up between two PMD entries and the count goes on from there:
 * the counts are of the tables as they were when each was passed.  Where
 * per-VMA locks exist (7.2), a writer that waited, or a target that changes
 * its address space (v->vma_mode), moves the count to one VMA lock at a time,
 * as the lines go: a VMA's read lock keeps the upper-level tables that map
 * it (only free_pgtables() frees those, under the mmap write lock and after
 * write-locking and detaching the VMAs), and PTE tables, which can go
 * without it (PT reclaim, khugepaged), are counted from their PMD entries,
 * never mapped.  Only the fields above the count hold the mmap lock then.
 */
static int vmi_count_tables(struct vmi_view *v, struct vmi_tables *tables)
{
	struct mm_struct *mm = v->t.mm;
	struct vm_area_struct *vma;
	unsigned long addr = 0;
	struct vmi_walk w;
	int err;

	vmi_walk_init_tables(&w);
	w.yield = vmi_header_yield;
	w.priv = v;
	if (VMI_VMA_LOCKS && v->vma_mode)
		vmi_view_unlock_mm(v);
	for (;;) {
		VMA_ITERATOR(iter, mm, addr);

		cond_resched();
		/* under the mmap lock: find_vma(); else the VMA read-locked */
		vma = vmi_view_next_vma(v, &iter, addr, VMI_STAT_CENSUS_LOCKS);
		if (IS_ERR(vma))
			return PTR_ERR(vma);	/* -EINTR, no lock held */
		if (!vma)
			break;
		vmi_assert_vma_stable(vma);
		w.cache->pmdp = NULL;
		/* -EINTR: partial counts are never printed */
		err = vmi_walk_range(&w, vma, max(vma->vm_start, addr), vma->vm_end);
		if (err == -EAGAIN) {
			addr = w.resume;
			err = vmi_view_let_writer_in(v);	/* the lines too: per-VMA locks */
			if (err)
				return err;
			continue;
		}
		if (err)
			return err;
		addr = ALIGN(vma->vm_end, PMD_SIZE);	/* the rest of this PMD is counted */
		if (!addr)
			break;
	}
	*tables = w.tables;
	return 0;
}

int vmi_show_header(struct seq_file *m, struct vmi_view *v)
{
	struct mm_struct *mm = v->t.mm;
	struct vmi_tables tables;
	int err;

	vmi_key(m, VMAINFO_HDR_pid, v->t.tgid);
	vmi_key_word_start(m, VMAINFO_HDR_comm);
	/* As /proc/PID/status: a newline in comm must not forge a header line. */
	seq_escape_mem(m, v->t.comm, strnlen(v->t.comm, TASK_COMM_LEN),
		       ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\");
	seq_putc(m, '\n');
	vmi_key_word(m, VMAINFO_HDR_kernel, init_utsname()->release);
	vmi_key(m, VMAINFO_HDR_format, VMAINFO_FORMAT_VERSION);
	if (!mm) {
		vmi_key_word(m, VMAINFO_HDR_mm, "none (kernel thread)");
		return 0;
	}
	vmi_key(m, VMAINFO_HDR_start_code, mm->start_code);
	vmi_key(m, VMAINFO_HDR_end_code, mm->end_code);
	vmi_key(m, VMAINFO_HDR_start_data, mm->start_data);
	vmi_key(m, VMAINFO_HDR_end_data, mm->end_data);
	vmi_key(m, VMAINFO_HDR_start_brk, mm->start_brk);
	vmi_key(m, VMAINFO_HDR_brk, mm->brk);
	vmi_key(m, VMAINFO_HDR_heap_size, mm->brk - mm->start_brk);
	vmi_key(m, VMAINFO_HDR_brk_offset, mm->start_brk - mm->end_data);	/* signed */
	vmi_show_heap(m, mm);
	vmi_key(m, VMAINFO_HDR_start_stack, mm->start_stack);
	vmi_key(m, VMAINFO_HDR_arg_start, mm->arg_start);
	vmi_key(m, VMAINFO_HDR_arg_end, mm->arg_end);
	vmi_key(m, VMAINFO_HDR_env_start, mm->env_start);
	vmi_key(m, VMAINFO_HDR_env_end, mm->env_end);
	vmi_key(m, VMAINFO_HDR_mmap_base, mm->mmap_base);
	vmi_key(m, VMAINFO_HDR_task_size, mm->task_size);
	vmi_key(m, VMAINFO_HDR_total_vm, mm->total_vm);
	vmi_key(m, VMAINFO_HDR_locked_vm, mm->locked_vm);
	vmi_key(m, VMAINFO_HDR_pinned_vm, atomic64_read(&mm->pinned_vm));
	vmi_key(m, VMAINFO_HDR_data_vm, mm->data_vm);
	vmi_key(m, VMAINFO_HDR_exec_vm, mm->exec_vm);
	vmi_key(m, VMAINFO_HDR_stack_vm, mm->stack_vm);
	vmi_key(m, VMAINFO_HDR_map_count, mm->map_count);
	vmi_collect_thread_sps(v);
	vmi_key(m, VMAINFO_HDR_threads, v->nthreads);
	vmi_key(m, VMAINFO_HDR_hiwater_rss, max(mm->hiwater_rss, get_mm_rss(mm)));
	vmi_key(m, VMAINFO_HDR_hiwater_vm, max(mm->hiwater_vm, mm->total_vm));
	vmi_key(m, VMAINFO_HDR_rss_anon, vmi_mm_counter(mm, MM_ANONPAGES));
	vmi_key(m, VMAINFO_HDR_rss_file, vmi_mm_counter(mm, MM_FILEPAGES));
	vmi_key(m, VMAINFO_HDR_rss_shmem, vmi_mm_counter(mm, MM_SHMEMPAGES));
	vmi_key(m, VMAINFO_HDR_swap_ents, vmi_mm_counter(mm, MM_SWAPENTS));
	vmi_key(m, VMAINFO_HDR_pgtables_bytes, mm_pgtables_bytes(mm));
	/* an error drops the whole header record (seq_file), as smaps drops a VMA */
	err = vmi_count_tables(v, &tables);
	if (err) {
		vmi_view_stat(v, VMI_STAT_ERR_INTR, err == -EINTR);
		return err;
	}
	vmi_key(m, VMAINFO_HDR_pte_tables, tables.pte);
	vmi_key(m, VMAINFO_HDR_pmd_tables, tables.pmd);
	vmi_key(m, VMAINFO_HDR_pud_tables, tables.pud);
	vmi_key(m, VMAINFO_HDR_p4d_tables, tables.p4d);
	vmi_key(m, VMAINFO_HDR_thp_deposited_tables, tables.thp_deposit);
	vmi_key(m, VMAINFO_HDR_paging_levels, pgtable_l5_enabled() ? 5 : 4);
	seq_putc(m, '\n');
	return 0;
}
