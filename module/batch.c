// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: VMAINFO_QUERY_BATCH, the batch ioctl of /proc/vmainfo/<pid>, self
 * and the query files: the single query's answers (query.c), many per call,
 * at most VMI_BATCH_HOLD (and VMI_BATCH_SCAN VMAs looked at) per hold of the
 * lock, which is also given up when a writer waits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "classify.h"
#include "query.h"
#include "vmainfo.h"

#define VMI_BATCH_HOLD		32	/* answers per mmap lock hold */
#define VMI_BATCH_SCAN		512	/* VMAs looked at per hold when iterating */

/* A batch call: its arguments, and the answers of one lock hold before they go out. */
struct vmi_batch {
	struct vmainfo_query_batch b;	/* data_size: the bytes used so far */
	u32 cap;			/* the data buffer's size */
	u32 reserve;			/* what this hold's answers may add to it */
	u32 n;				/* answers in rec[] */
	struct vmainfo_query rec[VMI_BATCH_HOLD];
	struct file *file[VMI_BATCH_HOLD];	/* get_file()d for its build ID */
	u32 name_off[VMI_BATCH_HOLD];		/* in data[] */
	u64 addrs[VMI_BATCH_HOLD];
	char path[PATH_MAX];			/* vmi_vma_name_str()'s buffer */
	char data[2 * PATH_MAX];		/* this hold's names */
};

/*
 * Under the lock: the VMA that answers the next record, for the array at
 * rec[k] or the iteration from next_addr.  -EAGAIN: VMI_BATCH_SCAN VMAs
 * looked at and none passed the filters, the next hold goes on from there.
 */
static struct vm_area_struct *vmi_batch_find(struct vmi_batch *bt, struct mm_struct *mm,
					     u32 k, u32 *scanned)
{
	struct vmainfo_query_batch *b = &bt->b;
	struct vm_area_struct *vma;

	if (b->batch_flags & VMAINFO_BATCH_ADDRS)
		return vmi_pmq_find(mm, bt->addrs[k], b->query_flags);
	while ((vma = find_vma(mm, b->next_addr))) {
		if (vmi_pmq_match(vma, b->query_flags))
			return vma;
		b->next_addr = vma->vm_end;
		if (++*scanned >= VMI_BATCH_SCAN)
			return ERR_PTR(-EAGAIN);
	}
	b->out_flags |= VMAINFO_BATCH_END;
	return ERR_PTR(-ENOENT);
}

/*
 * One lock hold: up to @n answers, from record b.filled on, into rec[]
 * (bt->n of them) and their names into data[].  An answer that fails ends
 * the hold before it; it is an error only for the call's first record (the
 * next call reports it), and a walk cut short by a fatal signal.
 */
static int vmi_batch_hold(struct vmi_pmq *c, struct vmi_batch *bt, u32 n)
{
	struct vmainfo_query_batch *b = &bt->b;
	bool addrs = b->batch_flags & VMAINFO_BATCH_ADDRS, first = !b->filled;
	u32 scanned = 0, dlen = 0, sz, bid;
	struct mm_struct *mm = c->t.mm;
	struct vmainfo_query *q;
	struct vm_area_struct *vma;
	struct vmi_vma_name nm;
	const char *name = NULL;
	int err;

	mmap_assert_locked(mm);
	for (bt->n = 0, bt->reserve = 0; bt->n < n; bt->n++, first = false) {
		u64 from = addrs ? bt->addrs[bt->n] : b->next_addr;

		if (bt->n && (mmap_lock_is_contended(mm) || scanned >= VMI_BATCH_SCAN))
			return 0;	/* a writer waits, or enough looked at */
		vma = vmi_batch_find(bt, mm, bt->n, &scanned);
		if (IS_ERR(vma))
			return PTR_ERR(vma) == -EAGAIN ? -EAGAIN : 0;
		/* the single query that gives this answer */
		q = &bt->rec[bt->n];
		memset(q, 0, sizeof(*q));
		q->pmq.size = b->rec_size;
		q->pmq.query_flags = b->query_flags |
				     (addrs ? 0 : VMAINFO_PMQ_COVERING_OR_NEXT_VMA);
		q->pmq.query_addr = from;
		bt->file[bt->n] = NULL;
		if (!vma)		/* ENOENT for this address: vma_end 0 */
			continue;
		sz = 0;
		if (b->batch_flags & VMAINFO_BATCH_NAMES) {
			vmi_vma_name(vma, vmi_special_name(vma), true, &nm);
			err = vmi_vma_name_str(&nm, bt->path, sizeof(bt->path), &name, &sz);
			if (err)
				return first ? err : 0;
			if (dlen + sz > sizeof(bt->data))
				return 0;	/* the next hold takes it */
		}
		bid = (b->batch_flags & VMAINFO_BATCH_BUILD_IDS) && vma->vm_file ?
		      VMI_BUILD_ID_MAX : 0;
		if ((u64)b->data_size + bt->reserve + sz + bid > bt->cap) {
			b->out_flags |= VMAINFO_BATCH_DATA_FULL;
			return first ? -ENAMETOOLONG : 0;
		}
		err = vmi_pmq_fill(c, vma, q, b->rec_size);
		if (err)
			return err;
		if (sz)
			memcpy(bt->data + dlen, name, sz);
		bt->name_off[bt->n] = dlen;
		q->pmq.vma_name_size = sz;
		dlen += sz;
		bt->reserve += sz + bid;
		if (bid)
			bt->file[bt->n] = get_file(vma->vm_file);
		if (!addrs)
			b->next_addr = vma->vm_end;
	}
	return 0;
}

/*
 * A hold's answers out, after the lock is dropped: build IDs read, names and
 * build IDs into the data buffer, then the records; with @err (the hold
 * failed) nothing, only every file put.
 */
static int vmi_batch_copy(struct vmi_batch *bt, int err)
{
	struct vmainfo_query_batch *b = &bt->b;
	size_t rsz = b->rec_size, n = min(rsz, sizeof(bt->rec[0]));
	void __user *r = u64_to_user_ptr(b->recs_addr) + b->filled * rsz;
	u8 id[VMI_BUILD_ID_MAX];
	u32 j, sz;

	for (j = 0; j < bt->n; j++, r += rsz) {
		struct vmainfo_query *q = &bt->rec[j];
		u64 at = b->data_addr + b->data_size;

		if (q->pmq.vma_name_size) {
			q->pmq.vma_name_addr = at;
			if (!err && copy_to_user(u64_to_user_ptr(at), bt->data + bt->name_off[j],
						 q->pmq.vma_name_size))
				err = -EFAULT;
			at += q->pmq.vma_name_size;
		}
		if (bt->file[j] && !err && !vmi_build_id(bt->file[j], id, &sz)) {
			q->pmq.build_id_size = sz;
			q->pmq.build_id_addr = at;
			if (copy_to_user(u64_to_user_ptr(at), id, sz))
				err = -EFAULT;
			at += sz;
		}
		if (bt->file[j])
			fput(bt->file[j]);
		b->data_size = at - b->data_addr;
		if (!err && (copy_to_user(r, q, n) || clear_user(r + n, rsz - n)))
			err = -EFAULT;
	}
	if (!err)
		b->filled += bt->n;
	return err;
}

long vmi_pmq_batch(struct file *file, void __user *uarg)
{
	struct vmainfo_query_batch *b;
	struct vmi_batch *bt;
	struct vmi_pmq *c;
	bool more;
	u64 usize;
	u32 n;
	int err;

	bt = kvmalloc(sizeof(*bt), GFP_KERNEL);
	if (!bt)
		return -ENOMEM;
	b = &bt->b;
	err = vmi_pmq_arg(b, sizeof(*b), VMAINFO_QUERY_BATCH_SIZE_VER0, uarg, &usize);
	if (err)
		goto out_free;
	err = -EINVAL;
	if ((b->query_flags & ~VMAINFO_PMQ_VALID_FLAGS) ||
	    (b->batch_flags & ~VMAINFO_BATCH_VALID_FLAGS) || b->reserved ||
	    b->rec_size < VMAINFO_QUERY_SIZE_VER0 || b->rec_size > PAGE_SIZE ||
	    b->rec_size % 8 || (b->rec_count && !b->recs_addr) ||
	    !!b->data_size != !!b->data_addr ||
	    ((b->batch_flags & (VMAINFO_BATCH_NAMES | VMAINFO_BATCH_BUILD_IDS)) &&
	     !b->data_addr) ||
	    ((b->batch_flags & VMAINFO_BATCH_ADDRS) && !b->addrs_addr))
		goto out_free;
	c = vmi_pmq_start(file, &err);
	if (!c)
		goto out_free;
	b->next_addr = b->addr;
	bt->cap = b->data_size;
	b->data_size = 0;
	b->filled = 0;
	b->out_flags = 0;
	while (b->filled < b->rec_count && !b->out_flags) {
		n = min_t(u32, VMI_BATCH_HOLD, b->rec_count - b->filled);
		if ((b->batch_flags & VMAINFO_BATCH_ADDRS) &&
		    copy_from_user(bt->addrs, u64_to_user_ptr(b->addrs_addr) +
				   b->filled * sizeof(u64), n * sizeof(u64))) {
			err = -EFAULT;
			break;
		}
		err = vmi_pmq_lock(c);
		if (err)
			break;
		if (vmi_covers(b->rec_size, kind))
			vmi_collect_thread_sps(&c->sv);
		err = vmi_batch_hold(c, bt, n);
		vmi_pmq_unlock(c);
		more = err == -EAGAIN;	/* only filtered-out VMAs so far: go on */
		err = vmi_batch_copy(bt, more ? 0 : err);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		if (err || (!bt->n && !more))
			break;		/* an answer failed: the next call says why */
		cond_resched();
	}
	/* a process gone after some records: a short count, as at the end */
	if (!err || (err == -ESRCH && b->filled))
		err = copy_to_user(uarg, b, min_t(size_t, sizeof(*b), usize)) ?
		      -EFAULT : b->filled;
	vmi_pmq_end(c);
out_free:
	kvfree(bt);
	return err;
}
