/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one home of differences between the kernels vmainfo supports
 * (Debian 12's 6.1 and 6.12, Debian sid's 7.2; x86-64 and arm64).  Nothing
 * else in module/ tests LINUX_VERSION_CODE or includes an architecture's
 * header, except layout.c, which is one view per architecture.  Where a
 * distribution could backport a change, a feature test (a header, a macro)
 * is preferred over a version number; each test says which it is.
 */
#ifndef _VMAINFO_COMPAT_H
#define _VMAINFO_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/percpu_counter.h>
#include <linux/sched/signal.h>
#include <linux/capability.h>
/* Feature test: hex_byte_pack() and hex_asc_lo() moved to their own header in 7.x. */
#if __has_include(<linux/hex.h>)
#include <linux/hex.h>
#endif
/*
 * Feature test: by 7.2 (kernel/exec_state.c, not in 6.12) a task's
 * dumpability and the user namespace that judges it moved from the mm
 * (get_dumpable(mm), mm->user_ns) and task->user_dumpable to
 * task->exec_state, declared in this header; a backport would carry it.
 */
#if __has_include(<linux/sched/exec_state.h>)
#include <linux/sched/exec_state.h>
#define VMI_HAS_TASK_EXEC_STATE 1
#else
#include <linux/sched/coredump.h>
#define VMI_HAS_TASK_EXEC_STATE 0
#endif
#include <linux/uaccess.h>
#include <linux/huge_mm.h>
#include <linux/page_idle.h>
#include <linux/shmem_fs.h>
#include <linux/swapops.h>
/*
 * Feature test: 7.x names non-present entries "software leaf entries"
 * (softleaf_t, <linux/leafops.h>) and its smaps judges them with that API;
 * before, swp_entry_t and the swapops.h tests.
 */
#if __has_include(<linux/leafops.h>)
#include <linux/leafops.h>
#define VMI_HAS_SOFTLEAF 1
#else
#define VMI_HAS_SOFTLEAF 0
#endif
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#ifdef CONFIG_X86
#include <asm/cpu_entry_area.h>
#include <asm/vsyscall.h>
#endif

#if !defined(CONFIG_X86_64) && !defined(CONFIG_ARM64)
#error "vmainfo supports x86-64 and arm64"
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
#error "vmainfo supports Linux 6.1 to 7.2"
#endif

/*
 * task_still_dumpable() of kernel/ptrace.c: may an opener that passed the
 * uid/gid (or CAP_SYS_PTRACE) test see @task, given its dumpability?  Owner-
 * dumpable, or CAP_SYS_PTRACE over the namespace that judges it:
 *   7.2   task->exec_state (dumpable, user_ns), RCU-protected, kept stable by
 *         task_lock() (task_exec_state_rcu() is not exported: the same
 *         rcu_dereference_check() here);
 *   6.x   the mm's (get_dumpable(mm), mm->user_ns), or for a task without mm
 *         task->user_dumpable and the initial namespace.
 * The caller holds task_lock(task) and has read the creds first (smp_rmb()).
 * ns_capable() is called inside the RCU section, as the kernel does.
 */
static inline bool vmi_task_still_dumpable(struct task_struct *task)
{
#if VMI_HAS_TASK_EXEC_STATE
	const struct task_exec_state *es;
	bool ok;

	lockdep_assert_held(&task->alloc_lock);
	rcu_read_lock();
	es = rcu_dereference_check(task->exec_state,
				   lockdep_is_held(&task->alloc_lock));
	ok = READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER ||
	     ns_capable(es->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	return ok;
#else
	struct mm_struct *mm = task->mm;

	lockdep_assert_held(&task->alloc_lock);
	if (mm)
		return get_dumpable(mm) == SUID_DUMP_USER ||
		       ns_capable(mm->user_ns, CAP_SYS_PTRACE);
	return task->user_dumpable || ns_capable(&init_user_ns, CAP_SYS_PTRACE);
#endif
}

/*
 * mm_access()'s may_access_mm(): since 6.15 (Andrii Nakryiko's "mm,procfs:
 * allow read-only remote mm access under CAP_PERFMON", posted January 2025
 * and merged for 6.15 as far as we know) a PTRACE_MODE_READ
 * access is also granted to a perfmon_capable() caller whom ptrace_may_access()
 * refused.  A version test: the change is inside kernel/fork.c and leaves no
 * macro or declaration to test (checked: absent in 6.12, present in 7.2).
 */
static inline bool vmi_mm_access_perfmon(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	return perfmon_capable();
#else
	return false;
#endif
}

/*
 * The shared unbound workqueue: system_dfl_wq from 6.17 on; 7.x marks
 * system_unbound_wq deprecated and logs "enqueued on deprecated workqueue"
 * for the first work queued there.  A version test: system_dfl_wq is a
 * variable, not a macro, and stable lines carry it as a backport (Debian's
 * 6.12.117 has it) where system_unbound_wq is not deprecated, so either works
 * there.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define vmi_unbound_wq system_dfl_wq
#else
#define vmi_unbound_wq system_unbound_wq
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
 * (classify.c says why); regs->sp is unsigned long on x86, u64 on arm64.
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
#ifdef CONFIG_ARM64
	u64 pstate;

	/*
	 * user_stack_pointer(): an AArch32 (compat) thread keeps its stack
	 * pointer in r13, regs[13], not in sp.
	 */
	if (get_kernel_nofault(pstate, &regs->pstate))
		return -EFAULT;
	if ((pstate & (PSR_MODE32_BIT | PSR_MODE_MASK)) ==
	    (PSR_MODE32_BIT | PSR_MODE_EL0t)) {
		if (get_kernel_nofault(v, &regs->compat_sp))
			return -EFAULT;
		*sp = v;
		return 0;
	}
#endif
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
 * user-visible path of a backing file (overlayfs), file_user_path(); before,
 * seq_file_path()'s &file->f_path.
 */
static inline const struct path *vmi_file_user_path(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return file_user_path(file);
#else
	return &file->f_path;
#endif
}

/*
 * The x86-64 vsyscall gate area (classify.c): its address, and whether an mm
 * may have it at all.  With CONFIG_COMPAT, get_gate_vma() gives it only to an
 * mm whose context has MM_CONTEXT_HAS_VSYSCALL (a 64-bit program): a BIT()
 * mask on 6.1, a bit number for test_bit() since the flags became bitops
 * (6.12, 7.2), told apart by its value.  arm64 has no gate area.
 */
#ifdef CONFIG_X86_64
#define VMI_GATE_START	VSYSCALL_ADDR
#else
#define VMI_GATE_START	0UL
#endif
static inline bool vmi_mm_has_vsyscall(struct mm_struct *mm)
{
#if !defined(CONFIG_X86_64)
	return false;
#elif !defined(CONFIG_COMPAT)
	return true;
#elif MM_CONTEXT_HAS_VSYSCALL == 1	/* a bit number */
	return test_bit(MM_CONTEXT_HAS_VSYSCALL, &mm->context.flags);
#elif MM_CONTEXT_HAS_VSYSCALL == 2	/* BIT(1) */
	return mm->context.flags & MM_CONTEXT_HAS_VSYSCALL;
#else
#error "MM_CONTEXT_HAS_VSYSCALL: neither bit 1 nor BIT(1)"
#endif
}

/*
 * The inode whose device and number /proc/PID/maps prints for a file
 * mapping.  Since 6.8 (commit 3efdc78fdc21, "fs/proc: show correct device
 * and inode numbers") a mapping through a stackable filesystem (overlayfs)
 * holds a backing file whose f_inode is on the lower filesystem, and maps
 * shows the inode of the file the user mapped, as fstat() does
 * (file_user_inode(), added by the same change).  Before 6.8 maps showed
 * file_inode(), the real file's.
 */
static inline const struct inode *vmi_file_user_inode(struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	return file_user_inode(file);
#else
	return file_inode(file);
#endif
}

/*
 * The exact value of an mm's RSS counter.  From 6.2 these are percpu_counters
 * and get_mm_counter() is only the approximate central count, so sum them as
 * /proc/PID/status does on the kernels we test (get_mm_counter_sum(): 6.12.117
 * has the stable backport, 7.2 has it upstream; an upstream 6.2 to 6.15 kernel
 * without the backport prints the approximate count in status, so there
 * status may differ from our exact sum by the pending per-CPU parts).  On 6.1
 * they are atomics (per-thread caches not folded in, exactly as
 * /proc/PID/status shows them).
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
 * mm->rss_stat, shown as "central value + pending parts = exact sum"
 * (counters.c prints it, from these accessors):
 *   6.2+  percpu_counter per counter: fbc->count plus each possible CPU's
 *         delta, folded into count once |delta| reaches the batch;
 *   6.1   atomic_long_t per counter plus each thread's task->rss_stat cache
 *         (SPLIT_RSS_COUNTING), folded every TASK_RSS_EVENTS_THRESH faults.
 * The caller holds an mm reference (and, for a thread's cache, RCU).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VMI_RSS_PERCPU 1
static inline long vmi_rss_central(struct mm_struct *mm, int i)
{
	return percpu_counter_read(&mm->rss_stat[i]);
}

static inline long vmi_rss_sum(struct mm_struct *mm, int i)
{
	return percpu_counter_sum(&mm->rss_stat[i]);
}

static inline long vmi_rss_cpu(struct mm_struct *mm, int i, int cpu)
{
	return READ_ONCE(*per_cpu_ptr(mm->rss_stat[i].counters, cpu));
}
#else
#define VMI_RSS_PERCPU 0
#define VMI_TASK_RSS_EVENTS_THRESH 64	/* TASK_RSS_EVENTS_THRESH, mm/memory.c */
static inline long vmi_rss_central(struct mm_struct *mm, int i)
{
	return atomic_long_read(&mm->rss_stat.count[i]);
}

static inline long vmi_rss_task(struct task_struct *t, int i)
{
	return READ_ONCE(t->rss_stat.count[i]);
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

/* Point a VMA iterator at @addr again (vma_iter_set() is 6.4+). */
static inline void vmi_vma_iter_set(struct vma_iterator *vmi, unsigned long addr)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	vma_iter_set(vmi, addr);
#else
	mas_set(&vmi->mas, addr);
#endif
}

/*
 * The VMA's write sequence (vm_lock_seq: vma_start_write() sets it, 6.4+ with
 * per-VMA locks), to tell a VMA changed while we held no lock from one that
 * only looks the same; 0 where there is none.
 */
static inline unsigned int vmi_vma_write_seq(struct vm_area_struct *vma)
{
#if defined(CONFIG_PER_VMA_LOCK) && LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return READ_ONCE(vma->vm_lock_seq);
#else
	return 0;
#endif
}

/*
 * Per-VMA read locks for the VMA text, as /proc/PID/maps reads since 6.17:
 * lock_vma_under_rcu() is exported from 7.2 on (checked against each
 * supported kernel's Module.symvers; 6.1 and 6.12 do not export it), and
 * 7.2's vm_refcnt tells a waiting writer by VM_REFCNT_EXCLUDE_READERS_FLAG.
 * Elsewhere the text is read under mmap_read_lock() as before.
 */
#if defined(CONFIG_PER_VMA_LOCK) && LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define VMI_VMA_LOCKS 1

/*
 * The first VMA that ends above @addr, read-locked; NULL if there is none;
 * ERR_PTR(-EAGAIN) if it could not be locked (a writer holds it, or the tree
 * kept changing): the caller takes mmap_read_lock() instead, as
 * fallback_to_mmap_lock() does in fs/proc/task_mmu.c.  lock_next_vma() is
 * not exported, so: find the candidate under RCU, lock the VMA that covers
 * its first address at or above @addr with lock_vma_under_rcu() (which
 * re-finds and validates it), then make sure no VMA came in below it
 * meanwhile: at once if the VMA holds @addr itself; else if mm_lock_seq did
 * not move from before the search to after the lock (the VMA tree changes
 * only under mmap_write_lock(), which moves it: mmap_lock_speculate_try_begin(),
 * as uprobes' find_active_uprobe_speculative() uses it); else by a second
 * search under RCU.
 */
static inline struct vm_area_struct *vmi_lock_vma_from(struct mm_struct *mm,
							unsigned long addr)
{
	VMA_ITERATOR(vmi, mm, addr);
	struct vm_area_struct *vma, *first;
	unsigned long at;
	unsigned int seq;
	bool spec;
	int tries;

	for (tries = 0; tries < 3; tries++) {
		rcu_read_lock();
		spec = mmap_lock_speculate_try_begin(mm, &seq);
		vma_iter_set(&vmi, addr);
		vma = vma_next(&vmi);
		at = vma ? max(READ_ONCE(vma->vm_start), addr) : 0;
		rcu_read_unlock();
		if (!vma)
			return NULL;
		vma = lock_vma_under_rcu(mm, at);
		if (!vma)
			continue;
		/*
		 * The VMA that holds @addr (lock_vma_under_rcu() checks that
		 * the one it locked holds the address) is the first to end
		 * above it; else, none came or went since the search.
		 */
		if (at == addr || (spec && !mmap_lock_speculate_retry(mm, seq)))
			return vma;
		rcu_read_lock();
		vma_iter_set(&vmi, addr);
		first = vma_next(&vmi);
		rcu_read_unlock();
		if (first == vma)
			return vma;
		vma_end_read(vma);
	}
	return ERR_PTR(-EAGAIN);
}

static inline void vmi_vma_unlock(struct vm_area_struct *vma)
{
	vma_end_read(vma);
}

/*
 * The mmap lock's write sequence (mm_lock_seq: every mmap_write_lock() and
 * unlock moves it), read under our mmap_read_lock(), so no writer holds it.
 */
static inline unsigned int vmi_mm_wseq(struct mm_struct *mm)
{
	unsigned int seq = 0;

	mmap_assert_locked(mm);
	if (WARN_ON_ONCE(!mmap_lock_speculate_try_begin(mm, &seq)))
		seq = 0;
	return seq;
}

/* Does a writer (munmap(), mprotect() ...) wait for our read lock of @vma? */
static inline bool vmi_vma_writer_waits(struct vm_area_struct *vma)
{
	return refcount_read(&vma->vm_refcnt) & VM_REFCNT_EXCLUDE_READERS_FLAG;
}

/* @vma cannot change under us: we hold the mmap lock or its VMA lock. */
static inline void vmi_assert_vma_stable(struct vm_area_struct *vma)
{
	vma_assert_stabilised(vma);
}
#else
#define VMI_VMA_LOCKS 0

static inline struct vm_area_struct *vmi_lock_vma_from(struct mm_struct *mm,
							unsigned long addr)
{
	return ERR_PTR(-EAGAIN);
}

static inline void vmi_vma_unlock(struct vm_area_struct *vma)
{
	WARN_ON_ONCE(1);	/* never locked */
}

static inline unsigned int vmi_mm_wseq(struct mm_struct *mm)
{
	return 0;
}

static inline bool vmi_vma_writer_waits(struct vm_area_struct *vma)
{
	return false;
}

static inline void vmi_assert_vma_stable(struct vm_area_struct *vma)
{
	mmap_assert_locked(vma->vm_mm);
}
#endif
/*
 * The name prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) gave a VMA, as the
 * kernel's anon_vma_name() (not exported) returns it under the mmap lock;
 * NULL without CONFIG_ANON_VMA_NAME (Debian's kernels).  Since 6.2 ("mm:
 * anonymous shared memory naming") a shmem VMA can have one too, which maps
 * shows as [anon_shmem:NAME]; before, the field shares a union with a file
 * VMA's interval-tree node and 6.1's anon_vma_name() reads it only for
 * anonymous VMAs.  A version test: nothing in the headers marks the change.
 */
static inline const char *vmi_anon_vma_name(struct vm_area_struct *vma)
{
#ifdef CONFIG_ANON_VMA_NAME
	mmap_assert_locked(vma->vm_mm);
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	if (vma->vm_file)
		return NULL;
#endif
	return vma->anon_name ? vma->anon_name->name : NULL;
#else
	return NULL;
#endif
}

/* smaps names VM_LOCKONFAULT "lf" from 6.2 on; 6.1 prints "??" for it. */
#define VMI_SMAPS_HAS_LF (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0))

/*
 * The smaps VmFlags mnemonics that depend on the kernel (its
 * show_smap_vma_flags(), fs/proc/task_mmu.c), as 0/1 for classify.c.  Up to
 * 6.x the VM_* flags are plain numbers that #if can test (6.12's smaps itself
 * does "#if VM_PKEY_BIT3"); from 7.x they are BIT() of enum values
 * (VMA_*_BIT), which the preprocessor cannot evaluate, so these are feature
 * tests on the macro's existence (#ifdef) and on the kernel config, as 7.2's
 * smaps has them:
 *   gu  VM_MAYBE_GUARD (7.x), always printed where it exists;
 *   ss  VM_SHADOW_STACK: CONFIG_ARCH_HAS_USER_SHADOW_STACK (7.2) or
 *       CONFIG_X86_USER_SHADOW_STACK (6.12, which has no such arch config);
 *   dp  VM_DROPPABLE (6.11+), 64-bit;   sl  VM_SEALED (6.10+), 64-bit;
 *   the protection-key bits 3 and 4 ("", shown as ProtectionKey) per
 *       CONFIG_ARCH_PKEY_BITS; before that config existed (6.1) x86 had 4.
 */
#ifdef VM_MAYBE_GUARD
#define VMI_SMAPS_HAS_GU 1
#else
#define VMI_SMAPS_HAS_GU 0
#endif
#if defined(VM_SHADOW_STACK) && \
	(defined(CONFIG_ARCH_HAS_USER_SHADOW_STACK) || defined(CONFIG_X86_USER_SHADOW_STACK))
#define VMI_SMAPS_HAS_SS 1
#else
#define VMI_SMAPS_HAS_SS 0
#endif
#if defined(VM_DROPPABLE) && defined(CONFIG_64BIT)
#define VMI_SMAPS_HAS_DP 1
#else
#define VMI_SMAPS_HAS_DP 0
#endif
#if defined(VM_SEALED) && defined(CONFIG_64BIT)
#define VMI_SMAPS_HAS_SL 1
#else
#define VMI_SMAPS_HAS_SL 0
#endif
#ifdef CONFIG_ARCH_PKEY_BITS
#define VMI_PKEY_BITS CONFIG_ARCH_PKEY_BITS
#else
#define VMI_PKEY_BITS 4
#endif


/*
 * ---- smaps accounting (smaps.c) ----
 *
 * fs/proc/task_mmu.c's smaps_account(), smaps_pte_entry(), smaps_pmd_entry()
 * and smaps_hugetlb_range() differ between 6.1 (struct page), 6.12 (folios,
 * precise per-page mapcount) and 7.2 (software leaf entries, mapcount with or
 * without CONFIG_PAGE_MAPCOUNT).  The helpers they call that a module cannot
 * call (vm_normal_page(), vm_normal_page_pmd(), follow_trans_huge_pmd(): not
 * exported; folio_precise_page_mapcount(), folio_average_page_mapcount():
 * fs/proc/internal.h) are copied here, each with the release it follows.
 * The caller holds the page-table lock of the entry (walk.c's locked mode).
 */
#define VMI_SMAPS_V61	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0))
/* 6.1's smaps has no "KSM" line (added in 6.2, commit cf8e8a1f). */
#define VMI_SMAPS_HAS_KSM	(!VMI_SMAPS_V61)

/*
 * vm_normal_page() (mm/memory.c) of an architecture with pte_special()
 * (x86-64 and arm64): a special entry has no normal page (the zero page,
 * VM_PFNMAP/VM_MIXEDMAP, devmap, or a bad entry) unless the VMA's
 * find_special_page() (6.x) / find_normal_page() (7.x) finds one.  The
 * kernel's last test, pfn > highest_memmap_pfn (not exported), is
 * pfn_valid() here: it refuses the same corrupt entries beyond memory, and
 * also a pfn in a hole of the memory map, for which the kernel would return a
 * struct page that does not exist.
 */
/*
 * pfn_valid() gives the same answer for every pfn of one memory subsection
 * (it tests the pfn's upper bits, its section, then the subsection's bit), so
 * a walk of many entries asks it once per subsection: @sub is the subsection
 * last found valid (ULONG_MAX: none yet).
 */
static inline bool vmi_pfn_valid_sub(unsigned long pfn, unsigned long *sub)
{
#ifdef CONFIG_SPARSEMEM
	if (pfn >> PFN_SUBSECTION_SHIFT == *sub)
		return true;
	if (!pfn_valid(pfn))
		return false;
	*sub = pfn >> PFN_SUBSECTION_SHIFT;
	return true;
#else
	return pfn_valid(pfn);
#endif
}

/* vm_normal_page(), with vmi_pfn_valid_sub()'s @sub for a run of entries */
static __always_inline struct page *vmi_vm_normal_page_sub(struct vm_area_struct *vma,
						  unsigned long addr, pte_t pte,
						  unsigned long *sub)
{
	unsigned long pfn = pte_pfn(pte);

	BUILD_BUG_ON(!IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL));
	if (unlikely(pte_special(pte))) {
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
		if (vma->vm_ops && vma->vm_ops->find_special_page)
			return vma->vm_ops->find_special_page(vma, addr);
#elif defined(CONFIG_FIND_NORMAL_PAGE)
		if (vma->vm_ops && vma->vm_ops->find_normal_page)
			return vma->vm_ops->find_normal_page(vma, addr);
#endif
		return NULL;
	}
	if (unlikely(!vmi_pfn_valid_sub(pfn, sub)))
		return NULL;
	return pfn_to_page(pfn);
}

static inline struct page *vmi_vm_normal_page(struct vm_area_struct *vma,
					      unsigned long addr, pte_t pte)
{
	unsigned long sub = ULONG_MAX;

	return vmi_vm_normal_page_sub(vma, addr, pte, &sub);
}

/*
 * The page of a present PMD leaf as smaps_pmd_entry() finds it, or NULL;
 * *zero is set for the huge zero page.
 *   7.2   vm_normal_page_pmd(): with CONFIG_ARCH_SUPPORTS_PMD_PFNMAP a special
 *         PMD (pfnmap, or the huge zero page, which 7.x marks special) has no
 *         page; huge_zero_pfn is not exported, so a special PMD outside a
 *         VM_PFNMAP/VM_MIXEDMAP VMA is taken for the huge zero page (the
 *         kernel's other case is a bad entry);
 *   6.12  vm_normal_page_pmd(): pmd_special() (pfnmap), the VM_PFNMAP/
 *         VM_MIXEDMAP rules, pmd_devmap(), then is_huge_zero_pmd();
 *   6.1   follow_trans_huge_pmd(FOLL_DUMP), which refuses the huge zero page.
 * huge_zero_pfn is not exported to modules before 7.x either: the huge zero
 * page is the one folio that do_huge_pmd_anonymous_page() maps in an
 * anonymous VMA without making it anonymous (set_huge_zero_folio()), so a
 * PMD-mapped folio that is not anonymous in such a VMA is taken for it.
 */
static inline struct page *vmi_vm_normal_page_pmd(struct vm_area_struct *vma,
						  unsigned long addr, pmd_t pmd,
						  bool *zero)
{
	unsigned long pfn = pmd_pfn(pmd);

	*zero = false;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0) && defined(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)
	if (unlikely(pmd_special(pmd))) {
		*zero = !(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP));
		return NULL;
	}
	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
#else
#if !VMI_SMAPS_V61
	if (unlikely(pmd_special(pmd)))
		return NULL;
	if (unlikely(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))) {
		if (vma->vm_flags & VM_MIXEDMAP)
			return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
		if (pfn == vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT))
			return NULL;
		if (!is_cow_mapping(vma->vm_flags))
			return NULL;
	}
	if (pmd_devmap(pmd))
		return NULL;
#endif
	if (unlikely(!pfn_valid(pfn)))
		return NULL;
	if (vma_is_anonymous(vma) && !folio_test_anon(page_folio(pfn_to_page(pfn)))) {
		*zero = true;		/* is_huge_zero_pmd() */
		return NULL;
	}
	return pfn_to_page(pfn);
#endif
}

/*
 * A non-present, non-none PTE as smaps_pte_entry() judges it: a swap entry
 * (*swap), or an entry with a page (migration, device private/exclusive,
 * hwpoison: returned), or neither (a marker).  *present: 6.12 and 7.2 count a
 * device-private entry as present; *migration: 6.1 accounts a migration
 * entry whole and private (its smaps_account() takes "migration").
 */
static inline struct page *vmi_pte_leaf_page(pte_t pte, bool *swap, bool *present,
					     bool *migration)
{
#if VMI_HAS_SOFTLEAF
	const softleaf_t entry = softleaf_from_pte(pte);

	*swap = false;
	*present = false;
	*migration = false;
	if (softleaf_is_swap(entry)) {
		*swap = true;
		return NULL;
	}
	if (!softleaf_has_pfn(entry))
		return NULL;
	*present = softleaf_is_device_private(entry);
	return softleaf_to_page(entry);
#else
	swp_entry_t entry = pte_to_swp_entry(pte);

	*swap = false;
	*present = false;
	*migration = false;
	if (!non_swap_entry(entry)) {
		*swap = true;
		return NULL;
	}
	if (!is_pfn_swap_entry(entry))
		return NULL;
#if VMI_SMAPS_V61
	*migration = is_migration_entry(entry);
#else
	*present = is_device_private_entry(entry);
#endif
	return pfn_swap_entry_to_page(entry);
#endif
}

/* The page of a non-present PMD as smaps_pmd_entry() finds it, or NULL. */
static inline struct page *vmi_pmd_leaf_page(pmd_t pmd, bool *migration)
{
	*migration = false;
	if (!thp_migration_supported())
		return NULL;
#if VMI_HAS_SOFTLEAF
	{
		const softleaf_t entry = softleaf_from_pmd(pmd);

		return softleaf_has_pfn(entry) ? softleaf_to_page(entry) : NULL;
	}
#elif VMI_SMAPS_V61
	{
		swp_entry_t entry;

		if (!is_swap_pmd(pmd))
			return NULL;
		entry = pmd_to_swp_entry(pmd);
		if (!is_migration_entry(entry))
			return NULL;
		*migration = true;
		return pfn_swap_entry_to_page(entry);
	}
#else
	{
		swp_entry_t entry = pmd_to_swp_entry(pmd);

		return is_pfn_swap_entry(entry) ? pfn_swap_entry_to_page(entry) : NULL;
	}
#endif
}

#if !VMI_SMAPS_V61
/* folio_precise_page_mapcount(), fs/proc/internal.h (6.12; 7.2 with CONFIG_PAGE_MAPCOUNT) */
static inline int vmi_folio_precise_page_mapcount(struct folio *folio, struct page *page)
{
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
}
#endif

#ifdef CONFIG_NO_PAGE_MAPCOUNT
/* folio_average_page_mapcount(), fs/proc/internal.h (7.2) */
static inline int vmi_folio_average_page_mapcount(struct folio *folio)
{
	int mapcount, entire_mapcount, avg;

	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) + 1;
	mapcount = folio_large_mapcount(folio);
	if (unlikely(mapcount <= 0))
		return 0;
	entire_mapcount = folio_entire_mapcount(folio);
	if (mapcount <= entire_mapcount)
		return entire_mapcount;
	mapcount -= entire_mapcount;
	avg = ((unsigned int)mapcount + folio_large_nr_pages(folio) / 2) >>
	      folio_large_order(folio);
	return avg + entire_mapcount;
}
#endif

/*
 * smaps_account()'s mapcount of one page of a folio mapped more than once,
 * and whether smaps calls it private (*exclusive):
 *   6.1   page_mapcount(page) (__page_mapcount() is exported), < 2;
 *   6.12  folio_precise_page_mapcount(), < 2;
 *   7.2   the same with CONFIG_PAGE_MAPCOUNT, else the folio's average
 *         mapcount and !folio_maybe_mapped_shared().
 */
static inline int vmi_smaps_mapcount(struct folio *folio, struct page *page,
				     bool *exclusive)
{
	int mapcount;

#if VMI_SMAPS_V61
	mapcount = page_mapcount(page);
	*exclusive = mapcount < 2;
#elif defined(CONFIG_NO_PAGE_MAPCOUNT)
	mapcount = vmi_folio_average_page_mapcount(folio);
	*exclusive = !folio_maybe_mapped_shared(folio);
#else
	mapcount = vmi_folio_precise_page_mapcount(folio, page);
	*exclusive = mapcount < 2;
#endif
	return mapcount;
}

/*
 * smaps_account(): is the folio accounted at once, as mapped exactly once,
 * and then private (*private)?  6.1: page_count() == 1 or a migration
 * entry, private; 6.12 and 7.2: folio_ref_count() == 1 or not present,
 * private only if present ("maybe shared" otherwise).
 */
static inline bool vmi_smaps_whole(struct folio *folio, struct page *page,
				   bool present, bool migration, bool *private)
{
#if VMI_SMAPS_V61
	*private = true;
	return page_count(page) == 1 || migration;
#else
	*private = present;
	return folio_ref_count(folio) == 1 || !present;
#endif
}

/* smaps_account()'s young test: 6.1 page_is_young(page), later the folio's. */
static inline bool vmi_smaps_young(struct folio *folio, struct page *page)
{
#if VMI_SMAPS_V61
	return page_is_young(page);
#else
	return folio_test_young(folio);
#endif
}

/*
 * /proc/PID/pagemap's PM_MMAP_EXCLUSIVE (bit 56) of a present page:
 *   6.1   page_mapcount(page) == 1;
 *   6.12  folio_precise_page_mapcount() == 1;
 *   7.2   __folio_page_mapped_exclusively(): the same with
 *         CONFIG_PAGE_MAPCOUNT, else !folio_maybe_mapped_shared().
 * For a PMD leaf pagemap tests, for every page of it, @page as
 * vmi_pagemap_pmd_page() chooses.
 */
static inline bool vmi_pagemap_exclusive(struct folio *folio, struct page *page)
{
#if VMI_SMAPS_V61
	return page_mapcount(page) == 1;
#elif defined(CONFIG_NO_PAGE_MAPCOUNT)
	return !folio_maybe_mapped_shared(folio);
#else
	return vmi_folio_precise_page_mapcount(folio, page) == 1;
#endif
}

/*
 * The page pagemap_pmd_range() tests for page @i of a PMD leaf whose first
 * page is @head: 6.12 each page (page + idx); 6.1 and 7.2 the first page for
 * all of them (7.2's loop advances idx, not page).
 */
static inline struct page *vmi_pagemap_pmd_page(struct page *head, unsigned int i)
{
#if VMI_SMAPS_V61 || LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
	return head;
#else
	return head + i;
#endif
}

/*
 * smaps_hugetlb_range(): 1 if the hugetlb entry @pte at @ptep (not none)
 * counts as Shared_Hugetlb, 0 as Private_Hugetlb, -1 if it has no page.
 *   6.1   present: vm_normal_page(); else a pfn swap entry's page;
 *         shared if page_mapcount() >= 2 or the PMD table is shared;
 *   6.12  present: pte_page()'s folio, else a pfn swap entry's; shared if
 *         not present, folio_likely_mapped_shared() or the table is shared;
 *   7.2   the same with folio_maybe_mapped_shared().
 */
static inline int vmi_smaps_hugetlb_shared(struct vm_area_struct *vma,
					   unsigned long addr, pte_t *ptep, pte_t pte)
{
#if !defined(CONFIG_HUGETLB_PAGE)
	return -1;
#elif VMI_SMAPS_V61
	struct page *page = NULL;

	if (pte_present(pte)) {
		page = vmi_vm_normal_page(vma, addr, pte);
	} else if (is_swap_pte(pte)) {
		swp_entry_t entry = pte_to_swp_entry(pte);

		if (is_pfn_swap_entry(entry))
			page = pfn_swap_entry_to_page(entry);
	}
	if (!page)
		return -1;
	return page_mapcount(page) >= 2 || hugetlb_pmd_shared(ptep);
#else
	struct folio *folio = NULL;
	bool present = false;

	if (pte_present(pte)) {
		folio = page_folio(pte_page(pte));
		present = true;
	} else {
#if VMI_HAS_SOFTLEAF
		const softleaf_t entry = softleaf_from_pte(pte);

		if (softleaf_has_pfn(entry))
			folio = softleaf_to_folio(entry);
#else
		swp_entry_t entry = pte_to_swp_entry(pte);

		if (is_swap_pte(pte) && is_pfn_swap_entry(entry))
			folio = pfn_swap_entry_folio(entry);
#endif
	}
	if (!folio)
		return -1;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
	return !present || folio_maybe_mapped_shared(folio) || hugetlb_pmd_shared(ptep);
#else
	return !present || folio_likely_mapped_shared(folio) || hugetlb_pmd_shared(ptep);
#endif
#endif
}

/*
 * shmem_partial_swap_usage() (mm/shmem.c, not exported) counts a swap entry
 * in the page cache as one page (6.1) or as 1 << its order (6.12, 7.2:
 * large swap entries).
 */
#if VMI_SMAPS_V61
#define vmi_shmem_swap_entry_pages(xas)	1UL
#else
#define vmi_shmem_swap_entry_pages(xas)	(1UL << xas_get_order(xas))
#endif

/*
 * The lookups' VMA index (index.c) is valid while mm->mm_lock_seq has not
 * moved: a seqcount that every mmap_write_lock() and its unlock (or
 * downgrade) advance, odd while a writer holds the lock; the VMA tree and the
 * fields the index keeps change only under that lock.  A seqcount_t since
 * 6.14, and in Debian's 6.12 (a stable backport; Kbuild looks for it:
 * VMI_HAVE_MM_SEQCOUNT); only with CONFIG_PER_VMA_LOCK.  6.1 has none: no
 * index there.  Read without any lock, one acquire load: an answer from the
 * index (memory of our own, unchanged since it was built) is of that moment.
 * Not raw_read_seqcount(), whose KCSAN region is never closed here.
 */
#if defined(CONFIG_PER_VMA_LOCK) && defined(VMI_HAVE_MM_SEQCOUNT)
#define VMI_MM_SEQ 1
static inline unsigned int vmi_mm_seq(struct mm_struct *mm)
{
	/* acquire: what the caller reads of the mm after it is of this moment on */
	return smp_load_acquire(&mm->mm_lock_seq.sequence);
}
#else
#define VMI_MM_SEQ 0
static inline unsigned int vmi_mm_seq(struct mm_struct *mm)
{
	return 1;	/* odd: never an index's */
}
#endif

#endif /* _VMAINFO_COMPAT_H */
