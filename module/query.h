/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmainfo: what the two ioctls share: query.c (VMAINFO_PROCMAP_QUERY, one
 * answer, and the dispatch) and batch.c (VMAINFO_QUERY_BATCH, many).
 */
#ifndef VMAINFO_QUERY_H
#define VMAINFO_QUERY_H

#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/types.h>
#include "compat.h"
#include "vmainfo.h"

/* The caller's size covers @f of struct vmainfo_query. */
#define vmi_covers(size, f)	((size) >= offsetofend(struct vmainfo_query, f))

/* One call's state: its references to the target, and a view for the kinds. */
struct vmi_pmq {
	struct vmi_target t;		/* vmi_view_get_target() */
	/* thread stack pointers, PMD cache, stats, whether the lock is held */
	struct vmi_view sv;
	unsigned int restarts;		/* of this answer's page counts (query.c) */
};

#define VMI_PMQ_PERM_FLAGS	(VMAINFO_PMQ_VMA_READABLE | VMAINFO_PMQ_VMA_WRITABLE | \
				 VMAINFO_PMQ_VMA_EXECUTABLE | VMAINFO_PMQ_VMA_SHARED)

/* The permission flags of the query and the vm_flags they stand for. */
static const struct {
	u64 q;
	unsigned long vm;
} vmi_pmq_perms[] = {
	{ VMAINFO_PMQ_VMA_READABLE, VM_READ },
	{ VMAINFO_PMQ_VMA_WRITABLE, VM_WRITE },
	{ VMAINFO_PMQ_VMA_EXECUTABLE, VM_EXEC },
	{ VMAINFO_PMQ_VMA_SHARED, VM_MAYSHARE },
};

/* Does @vma pass the filters of query_matching_vma()? */
static inline bool vmi_pmq_match(struct vm_area_struct *vma, u64 flags)
{
	unsigned int i;

	if ((flags & VMAINFO_PMQ_FILE_BACKED_VMA) && !vma->vm_file)
		return false;
	for (i = 0; i < ARRAY_SIZE(vmi_pmq_perms); i++)
		if ((flags & vmi_pmq_perms[i].q) && !(vma->vm_flags & vmi_pmq_perms[i].vm))
			return false;
	return true;
}

/* do_procmap_query()'s fields of @vma's answer (the caller's: the rest). */
static inline void vmi_pmq_fill_pmq(struct vmainfo_procmap_query *p, struct vm_area_struct *vma)
{
	unsigned int i;

	p->vma_start = vma->vm_start;
	p->vma_end = vma->vm_end;
	p->vma_flags = 0;
	for (i = 0; i < ARRAY_SIZE(vmi_pmq_perms); i++)
		if (vma->vm_flags & vmi_pmq_perms[i].vm)
			p->vma_flags |= vmi_pmq_perms[i].q;
	/* vma_kernel_pagesize(), not a call for the usual VMA */
	p->vma_page_size = vma->vm_ops && vma->vm_ops->pagesize ?
			   vma_kernel_pagesize(vma) : PAGE_SIZE;
	if (vma->vm_file) {
		const struct inode *inode = vmi_file_user_inode(vma->vm_file);

		p->vma_offset = ((__u64)vma->vm_pgoff) << PAGE_SHIFT;
		p->dev_major = MAJOR(inode->i_sb->s_dev);
		p->dev_minor = MINOR(inode->i_sb->s_dev);
		p->inode = inode->i_ino;
	} else {
		p->vma_offset = 0;
		p->dev_major = 0;
		p->dev_minor = 0;
		p->inode = 0;
	}
}

int vmi_pmq_lock(struct vmi_pmq *c);
void vmi_pmq_unlock(struct vmi_pmq *c);
struct vm_area_struct *vmi_pmq_find(struct mm_struct *mm, unsigned long addr,
				    u64 flags);
int vmi_pmq_fill(struct vmi_pmq *c, struct vm_area_struct *vma,
		 struct vmainfo_query *q, size_t size);
int vmi_pmq_arg(void *karg, size_t ksize, size_t min, void __user *uarg,
		u64 *usize);
struct vmi_pmq *vmi_pmq_start(struct file *file, int *err);
void vmi_pmq_end(struct vmi_pmq *c);

/* batch.c */
long vmi_pmq_batch(struct file *file, void __user *uarg);

/* index.c: the VMA index of a file's lookups */
struct vmi_index;
struct vmi_index *vmi_index_get(struct file *file, struct vmi_pmq *c);
void vmi_index_put(struct vmi_index *ix);
void vmi_index_count(struct vmi_index *ix, u32 n);
int vmi_index_answer(struct vmi_index *ix, struct mm_struct *mm, const u64 *addrs,
		     struct vmainfo_procmap_query __user *out, u32 n, u64 flags);

#endif /* VMAINFO_QUERY_H */
