/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one home of differences between the kernels vmainfo supports
 * (Debian's 6.1 and 6.12; x86-64 and arm64).  Nothing else in module/ tests
 * LINUX_VERSION_CODE or includes an architecture's header, except layout.c,
 * which is one view per architecture.
 */
#ifndef _VMAINFO_COMPAT_H
#define _VMAINFO_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include <linux/percpu_counter.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#ifdef CONFIG_X86
#include <asm/cpu_entry_area.h>
#endif
#include "vmainfo.h"

#if !defined(CONFIG_X86_64) && !defined(CONFIG_ARM64)
#error "vmainfo supports x86-64 and arm64"
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#error "vmainfo supports Linux 6.1 to 6.12"
#endif

/* Read a PMD once, without the page-table lock (mm/gup.c, gup_fast_pmd_range). */
static inline pmd_t vmi_pmdp_get_lockless(pmd_t *pmdp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/*
 * A hugetlb entry as /proc/PID/pagemap reads it (pagemap_hugetlb_range()):
 * through huge_ptep_get(), as a PTE, at the level of the VMA's huge page size
 * (a PUD slot for 1 GiB pages, a PMD slot for 2 MiB; on arm64 also the first
 * of 16 PTE slots for 64 KiB and of 16 PMD slots for 32 MiB).  Its presence
 * is then pte_present(), which on x86 includes a PROT_NONE entry
 * (_PAGE_PROTNONE without _PAGE_PRESENT); pud_present() tests _PAGE_PRESENT
 * only.  huge_ptep_get() takes the mm and address since 6.11 (6.1: only the
 * pointer); on x86 both are the generic ptep_get().
 *
 * arm64 has its own huge_ptep_get() (arch/arm64/mm/hugetlbpage.c), not
 * exported: a contiguous entry (PTE_CONT) gathers the dirty and young bits of
 * all its 16 slots into the first one's value.  It finds the slot count from
 * the folio's size; this reads it from @hsize, the VMA's huge page size,
 * which is the same for a present entry, and touches no struct page.
 */
#ifdef CONFIG_ARM64
static inline pte_t vmi_huge_ptep_get(struct mm_struct *mm, unsigned long addr,
				      pte_t *ptep, unsigned long hsize)
{
	pte_t orig = __ptep_get(ptep);
	unsigned long i, n = 1, stride = 1;

	if (!pte_present(orig) || !pte_cont(orig))
		return orig;
	if (hsize == CONT_PMD_SIZE) {
		n = CONT_PMDS;
		stride = sizeof(pmd_t) / sizeof(pte_t);
	} else if (hsize == CONT_PTE_SIZE) {
		n = CONT_PTES;
	}
	for (i = 1; i < n; i++) {
		pte_t pte = __ptep_get(ptep + i * stride);

		if (pte_dirty(pte))
			orig = pte_mkdirty(orig);
		if (pte_young(pte))
			orig = pte_mkyoung(orig);
	}
	return orig;
}
#else
static inline pte_t vmi_huge_ptep_get(struct mm_struct *mm, unsigned long addr,
				      pte_t *ptep, unsigned long hsize)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return huge_ptep_get(mm, addr, ptep);
#else
	return huge_ptep_get(ptep);
#endif
}
#endif

/*
 * Dirty and soft-dirty bits of a PUD leaf.  x86 has pud_dirty() and
 * pud_soft_dirty(); arm64 has neither (no PUD-level THP or DAX there, and no
 * soft-dirty tracking at all): a PUD leaf has the PTE format, so its dirty
 * bit is pte_dirty() of it.
 */
#ifdef CONFIG_ARM64
#define vmi_pud_dirty(pud)	pte_dirty(pud_pte(pud))
#define vmi_pud_soft_dirty(pud)	0
#else
#define vmi_pud_dirty(pud)	pud_dirty(pud)
#define vmi_pud_soft_dirty(pud)	pud_soft_dirty(pud)
#endif

/*
 * A thread's saved user registers: the struct pt_regs at the top of its
 * kernel stack (task_pt_regs()), below x86's TOP_OF_KERNEL_STACK_PADDING
 * (none on arm64).  The user stack pointer is read without faulting
 * (format.c says why); regs->sp is unsigned long on x86, u64 on arm64.
 */
#ifdef CONFIG_X86
#define VMI_STACK_TOP_PADDING	TOP_OF_KERNEL_STACK_PADDING
#else
#define VMI_STACK_TOP_PADDING	0
#endif
static inline int vmi_read_saved_sp(void *stack, unsigned long *sp)
{
	struct pt_regs *regs = (struct pt_regs *)(stack + THREAD_SIZE -
						  VMI_STACK_TOP_PADDING) - 1;
	typeof(regs->sp) v;

	if (get_kernel_nofault(v, &regs->sp))
		return -EFAULT;
	*sp = v;
	return 0;
}

/*
 * Does @t still hold its kernel stack?  With THREAD_INFO_IN_TASK (x86) the
 * stack has its own reference count and is freed when it drops to zero (the
 * task's last switch-out, finish_task_switch()), long before the
 * task_struct; it never rises again from zero.  try_get_task_stack() is
 * inline but put_task_stack() is not exported, so a module can only look.
 * Without THREAD_INFO_IN_TASK the stack goes with the task_struct, which the
 * caller's RCU section keeps.
 */
static inline bool vmi_task_stack_held(struct task_struct *t)
{
#ifdef CONFIG_THREAD_INFO_IN_TASK
	return refcount_read(&t->stack_refcount) != 0;
#else
	return true;
#endif
}

/*
 * The path /proc/PID/maps prints for a file mapping: since 6.8 it is the
 * user-visible path of a backing file (overlayfs), file_user_path().
 */
static inline void vmi_seq_file_path(struct seq_file *m, struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	seq_path(m, file_user_path(file), "\n");
#else
	seq_file_path(m, file, "\n");
#endif
}

/*
 * The exact value of an mm's RSS counter.  From 6.2 these are percpu_counters
 * and get_mm_counter() is only the approximate central count, so sum them as
 * /proc/PID/status does; on 6.1 they are atomics (per-thread caches not
 * folded in, exactly as /proc/PID/status shows them).
 */
static inline unsigned long vmi_mm_counter(struct mm_struct *mm, int member)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#else
	return get_mm_counter(mm, member);
#endif
}

/*
 * mm->rss_stat, shown as "central value + pending parts = exact sum":
 *   6.2+  percpu_counter per counter: fbc->count plus each possible CPU's
 *         delta, folded into count once |delta| reaches the batch;
 *   6.1   atomic_long_t per counter plus each thread's task->rss_stat cache
 *         (SPLIT_RSS_COUNTING), folded every TASK_RSS_EVENTS_THRESH faults.
 * vmi_rss_table() prints one table in either case (counters.c has the
 * printers); the caller holds an mm reference and the leader task.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static inline void vmi_rss_table(struct seq_file *m, struct mm_struct *mm,
				 struct task_struct *leader)
{
	long central[NR_MM_COUNTERS], sum[NR_MM_COUNTERS], d[NR_MM_COUNTERS];
	int cpu, i;

	seq_puts(m, "model: percpu_counter\n");
	seq_printf(m, "batch: %d\n", percpu_counter_batch);
	seq_printf(m, "slots: cpu (all %u possible CPUs; %u online)\n",
		   num_possible_cpus(), num_online_cpus());
	seq_printf(m, "error_bound: %ld pages\n",
		   (long)(percpu_counter_batch - 1) * num_possible_cpus());
	for (i = 0; i < NR_MM_COUNTERS; i++) {
		central[i] = percpu_counter_read(&mm->rss_stat[i]);
		sum[i] = percpu_counter_sum(&mm->rss_stat[i]);
	}
	vmi_rss_row(m, "central", -1, central);
	for_each_possible_cpu(cpu) {
		for (i = 0; i < NR_MM_COUNTERS; i++)
			d[i] = READ_ONCE(*per_cpu_ptr(mm->rss_stat[i].counters, cpu));
		vmi_rss_row(m, "cpu", cpu, d);
	}
	vmi_rss_row(m, "sum", -1, sum);
}
#else
#define VMI_TASK_RSS_EVENTS_THRESH 64	/* TASK_RSS_EVENTS_THRESH, mm/memory.c */
static inline void vmi_rss_table(struct seq_file *m, struct mm_struct *mm,
				 struct task_struct *leader)
{
	long central[NR_MM_COUNTERS], sum[NR_MM_COUNTERS], d[NR_MM_COUNTERS];
	struct task_struct *t;
	int i;

	seq_puts(m, "model: atomic+task_cache\n");
	seq_printf(m, "batch: %d faults\n", VMI_TASK_RSS_EVENTS_THRESH);
	seq_puts(m, "slots: tid (each thread's cache)\n");
	seq_puts(m, "error_bound: none (each cache folds after 64 faults of its thread)\n");
	for (i = 0; i < NR_MM_COUNTERS; i++)
		sum[i] = central[i] = atomic_long_read(&mm->rss_stat.count[i]);
	vmi_rss_row(m, "central", -1, central);
	rcu_read_lock();
	for_each_thread(leader, t) {
		if (t->mm != mm)
			continue;
		for (i = 0; i < NR_MM_COUNTERS; i++) {
			d[i] = READ_ONCE(t->rss_stat.count[i]);
			sum[i] += d[i];
		}
		vmi_rss_row(m, "tid", task_pid_nr(t), d);
	}
	rcu_read_unlock();
	vmi_rss_row(m, "sum", -1, sum);
}
#endif

/*
 * The anonymous VMA /proc/PID/maps names "[heap]": from 6.6 one that overlaps
 * [start_brk, brk) (vma_is_initial_heap()); before, any that touches it, so a
 * bss VMA ending at start_brk was "[heap]" too.
 */
static inline bool vmi_vma_is_initial_heap(struct vm_area_struct *vma,
					   struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return vma_is_initial_heap(vma);
#else
	return vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk;
#endif
}

/* smaps names VM_LOCKONFAULT "lf" from 6.2 on; 6.1 prints "??" for it. */
#define VMI_SMAPS_HAS_LF (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))

/* Flags only some kernels define; 0 where absent. */
#ifndef VM_SEALED
#define VM_SEALED 0
#endif
#ifndef VM_DROPPABLE
#define VM_DROPPABLE 0
#endif
#ifndef VM_SHADOW_STACK
#define VM_SHADOW_STACK 0
#endif

#endif /* _VMAINFO_COMPAT_H */
