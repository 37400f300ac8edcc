/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one home of differences between the kernels vmainfo supports
 * (Debian's 6.1 and 6.12).  Nothing else in module/ tests LINUX_VERSION_CODE.
 */
#ifndef _VMAINFO_COMPAT_H
#define _VMAINFO_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/seq_file.h>

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
