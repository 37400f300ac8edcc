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
#include "compat.h"
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

/*
 * The name /proc/PID/maps and PROCMAP_QUERY give @vma (whose special name,
 * vmi_special_name(), is @special), decided as the kernel's get_vma_name()
 * (fs/proc/task_mmu.c) decides it: a file's path, else a special mapping's
 * own name, "[heap]", "[stack]", or a name set with
 * prctl(PR_SET_VMA_ANON_NAME) when @anon_names (the ioctls ask for those;
 * the text of format 1 leaves them out, proc-vmainfo.rst).  arch_vma_name()
 * is NULL on x86-64 and arm64, and only the gate area, which find_vma()
 * never returns, has no vm_mm.  Under the mmap lock.
 */
static inline void vmi_vma_name(struct vm_area_struct *vma, const char *special,
				bool anon_names, struct vmi_vma_name *n)
{
	const char *anon = anon_names ? vmi_anon_vma_name(vma) : NULL;
	struct mm_struct *mm = vma->vm_mm;

	n->path = NULL;
	n->name = NULL;
	n->fmt = NULL;
	if (vma->vm_file) {
		if (anon) {
			n->fmt = "[anon_shmem:%s]";
			n->name = anon;
		} else {
			n->path = vmi_file_user_path(vma->vm_file);
		}
	} else if (special) {
		n->name = special;
	} else if (vmi_vma_is_initial_heap(vma, mm)) {
		n->name = "[heap]";
	} else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) {
		n->name = "[stack]";
	} else if (anon) {
		n->fmt = "[anon:%s]";
		n->name = anon;
	}
}

#endif
