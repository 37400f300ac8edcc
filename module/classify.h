/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmainfo: what a VMA is (its kind and special name), for the VMA text
 * (format.c) and the page map (pagemap.c).  Inline: they run once per VMA
 * line, and with 60,000 VMAs the calls alone, out of line in classify.c,
 * made the whole read about a fifth slower (6.1 guest, perf).  The rest of
 * the classification (thread stacks, VmFlags, the gate area) is classify.c.
 */
#ifndef VMAINFO_CLASSIFY_H
#define VMAINFO_CLASSIFY_H

#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "vmainfo.h"

static inline bool vmi_overlaps(struct vm_area_struct *vma, unsigned long start,
				unsigned long end)
{
	return start < end && vma->vm_start < end && start < vma->vm_end;
}

/* A MAP_SHARED|MAP_ANONYMOUS mapping: shmem_zero_setup()'s "dev/zero". */
static inline bool vmi_is_shared_anon(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	return file && file_inode(file)->i_sb->s_magic == TMPFS_MAGIC &&
	       !strcmp(file->f_path.dentry->d_name.name, "dev/zero");
}

/* The special mapping name /proc/PID/maps would print, or NULL. */
static inline const char *vmi_special_name(struct vm_area_struct *vma)
{
	if (vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return NULL;
	return vma->vm_ops->name(vma);
}

/* A VMA holding another thread's saved stack pointer (vmi_collect_thread_sps()). */
static inline bool vmi_is_thread_stack(struct vmi_view *v, struct vm_area_struct *vma)
{
	unsigned int i;

	for (i = 0; i < v->ntsp; i++)
		if (vma->vm_start <= v->tsp[i] && v->tsp[i] < vma->vm_end)
			return true;
	return false;
}

static inline unsigned int vmi_vma_kind(struct vmi_view *v, struct vm_area_struct *vma,
					const char *special)
{
	struct mm_struct *mm = vma->vm_mm;

	if (special) {
		if (!strcmp(special, "[vdso]"))
			return VMAINFO_KIND_VDSO;
		if (!strncmp(special, "[vvar", 5))
			return VMAINFO_KIND_VVAR;
		return VMAINFO_KIND_SPECIAL;
	}
	if (vmi_overlaps(vma, mm->start_brk, mm->brk))
		return VMAINFO_KIND_HEAP;
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return VMAINFO_KIND_STACK;
	if (!vma->vm_file && vmi_is_thread_stack(v, vma))
		return VMAINFO_KIND_THREAD_STACK;
	if (vma->vm_file) {
		if (vmi_is_shared_anon(vma))
			return VMAINFO_KIND_ANON_SHARED;
		if (vmi_overlaps(vma, mm->start_code, mm->end_code))
			return VMAINFO_KIND_TEXT;
		if (vmi_overlaps(vma, mm->start_data, mm->end_data))
			return VMAINFO_KIND_DATA;
		return (vma->vm_flags & VM_MAYSHARE) ? VMAINFO_KIND_FILE_SHARED :
						       VMAINFO_KIND_FILE_PRIVATE;
	}
	/* The ELF loader's bss: anonymous, right after the data segment. */
	if (mm->end_data && vma->vm_start == PAGE_ALIGN(mm->end_data) &&
	    vma->vm_end <= PAGE_ALIGN(mm->start_brk))
		return VMAINFO_KIND_BSS;
	return VMAINFO_KIND_ANON_PRIVATE;
}

#endif
