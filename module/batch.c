// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: VMAINFO_QUERY_BATCH, the batch ioctl of /proc/vmainfo/<pid>, self
 * and the query files: the single query's answers (query.c), many per call.
 * An iteration, or an array with names or build IDs, gets at most
 * VMI_BATCH_HOLD answers (and VMI_BATCH_SCAN VMAs looked at) per hold of the
 * lock.  An array alone (the symbolizer's case) is read VMI_BATCH_READ
 * addresses at a time and answered in the caller's order, VMI_BATCH_HOLD_ADDRS
 * per hold, each by one lookup in the tree unless a VMA found just before
 * answers it, or, with VMAINFO_BATCH_INDEX, from the file's VMA index
 * (index.c) without the lock.  Every hold ends early when a writer waits.
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
#include "compat.h"
#include "query.h"
#include "vmainfo.h"

#define VMI_BATCH_HOLD		32	/* answers per mmap lock hold */
#define VMI_BATCH_SCAN		512	/* VMAs looked at per hold when iterating */
#define VMI_BATCH_READ		1024	/* addresses read from the caller at a time */
#define VMI_BATCH_HOLD_ADDRS	128	/* answers per hold, addresses alone */
#define VMI_BATCH_RECENT	4	/* VMAs found last, kept for the next addresses */

/* A batch call: its arguments, and the answers of one lock hold before they go out. */
struct vmi_batch {
	struct vmainfo_query_batch b;	/* data_size: the bytes used so far */
	u32 cap;			/* the data buffer's size */
	u32 reserve;			/* what this hold's answers may add to it */
	u32 n;				/* answers in rec[] */
	struct vmainfo_query rec[VMI_BATCH_HOLD_ADDRS];
	union {
		struct {	/* an iteration, names or build IDs */
			struct file *file[VMI_BATCH_HOLD];	/* get_file()d for its build ID */
			u32 name_off[VMI_BATCH_HOLD];		/* in data[] */
			u64 addrs[VMI_BATCH_HOLD];
			char path[PATH_MAX];			/* vmi_vma_name_str()'s buffer */
			char data[2 * PATH_MAX];		/* this hold's names */
		};
		u64 part[VMI_BATCH_READ];	/* addresses alone: the part read */
	};
};

/* A record's fields that no VMA gives: those of the single query asked. */
static void vmi_batch_rec_init(struct vmainfo_query *q, u32 rsz, u64 flags, u64 addr)
{
	q->pmq.size = rsz;
	q->pmq.query_flags = flags;
	q->pmq.query_addr = addr;
	q->pmq.vma_name_size = 0;
	q->pmq.build_id_size = 0;
	q->pmq.vma_name_addr = 0;
	q->pmq.build_id_addr = 0;
}

/*
 * Record @q out to @dst, @rsz bytes: as much of @q as it covers, zeros past
 * it.  Words, not a string copy: a record is small.
 */
static int vmi_batch_put(void __user *dst, const struct vmainfo_query *q, u32 rsz)
{
	size_t n = min_t(size_t, rsz, sizeof(*q)), o;

	if (!user_write_access_begin(dst, rsz))
		return -EFAULT;
	unsafe_copy_to_user(dst, (const char *)q, n, efault);
	for (o = n; o < rsz; o += sizeof(u64))
		unsafe_put_user(0ULL, (u64 __user *)(dst + o), efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

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
		vmi_batch_rec_init(q, b->rec_size, b->query_flags |
				   (addrs ? 0 : VMAINFO_PMQ_COVERING_OR_NEXT_VMA), from);
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
	size_t rsz = b->rec_size;
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
		if (!err)
			err = vmi_batch_put(r, q, rsz);
	}
	if (!err)
		b->filled += bt->n;
	return err;
}

/*
 * Under the lock: the VMAs found last, each with the addresses it answers.
 * Valid for one hold only, and forgotten when an answer's page counts gave
 * the lock up (vmi_pmq_count()): a VMA kept may have been unmapped then.
 */
struct vmi_batch_pass {
	struct {
		struct vm_area_struct *vma;	/* find_vma() of [lo, end) */
		unsigned long lo, end;		/* end: vma->vm_end, without a read of *vma */
	} recent[VMI_BATCH_RECENT];
	unsigned int next;			/* the slot the next VMA found takes */
	/* with VMAINFO_PMQ_COVERING_OR_NEXT_VMA and filters: the last search */
	struct vm_area_struct *from;	/* it began at this VMA, which did not pass */
	struct vm_area_struct *to;	/* and found this one (NULL: none) */
};

/*
 * find_vma(mm, @addr), or, unless @next, only a VMA that covers @addr (NULL
 * in a gap).  A VMA found last answers every address from the one it was
 * found for (its start, or the gap's address) to its end: no VMA lies between.
 * Otherwise vma_lookup() (the tree's plain lookup, cheaper than a search that
 * can go on to the next VMA), and find_vma() only for an address in a gap.
 */
static struct vm_area_struct *vmi_batch_vma(struct vmi_batch_pass *p, struct mm_struct *mm,
					    unsigned long addr, bool next)
{
	struct vm_area_struct *vma;
	unsigned long lo = addr;
	unsigned int i;

	for (i = 0; i < VMI_BATCH_RECENT; i++)
		if (addr >= p->recent[i].lo && addr < p->recent[i].end)
			return p->recent[i].vma;
	vma = vma_lookup(mm, addr);
	if (vma)
		lo = vma->vm_start;
	else if (next)
		vma = find_vma(mm, addr);
	if (vma) {
		p->recent[p->next].vma = vma;
		p->recent[p->next].lo = lo;
		p->recent[p->next].end = vma->vm_end;
		p->next = (p->next + 1) % VMI_BATCH_RECENT;
	}
	return vma;
}

/* query_matching_vma() for @addr, whose find_vma() is @vma: the answer or NULL. */
static struct vm_area_struct *vmi_batch_match(struct vmi_batch_pass *p, struct mm_struct *mm,
					      struct vm_area_struct *vma, unsigned long addr,
					      u64 flags)
{
	if (!vma)
		return NULL;
	if (!(flags & VMAINFO_PMQ_COVERING_OR_NEXT_VMA))
		return vma->vm_start <= addr && vmi_pmq_match(vma, flags) ? vma : NULL;
	if (vmi_pmq_match(vma, flags))
		return vma;
	/* the first VMA after it that passes: the last search's, if vma lies in it */
	if (p->from && p->from->vm_start <= vma->vm_start &&
	    (!p->to || vma->vm_start < p->to->vm_start))
		return p->to;
	p->from = vma;
	p->to = vmi_pmq_find(mm, vma->vm_end, flags);
	return p->to;
}

/*
 * One lock hold of addresses alone: answers for part[@pos] on, at most
 * VMI_BATCH_HOLD_ADDRS (VMI_BATCH_HOLD with page counts) and at most to @end,
 * into rec[] (bt->n of them).
 */
static int vmi_batch_addrs_hold(struct vmi_pmq *c, struct vmi_batch *bt, u32 pos, u32 end)
{
	struct vmainfo_query_batch *b = &bt->b;
	struct mm_struct *mm = c->t.mm;
	struct vmi_batch_pass p = { };
	struct vm_area_struct *vma;
	struct vmainfo_query *q;
	u32 max = vmi_covers(b->rec_size, present) ? VMI_BATCH_HOLD : VMI_BATCH_HOLD_ADDRS;
	bool next = b->query_flags & VMAINFO_PMQ_COVERING_OR_NEXT_VMA;
	unsigned long gen;
	u64 addr;
	int err;

	mmap_assert_locked(mm);
	end = min(end, pos + max);
	for (bt->n = 0; pos + bt->n < end; bt->n++) {
		if (bt->n && mmap_lock_is_contended(mm))
			break;
		addr = bt->part[pos + bt->n];
		vma = vmi_batch_vma(&p, mm, addr, next);
		vma = vmi_batch_match(&p, mm, vma, addr, b->query_flags);
		q = &bt->rec[bt->n];
		if (!vma) {		/* ENOENT for this address: vma_end 0 */
			memset(q, 0, sizeof(*q));
			vmi_batch_rec_init(q, b->rec_size, b->query_flags, addr);
			continue;
		}
		vmi_batch_rec_init(q, b->rec_size, b->query_flags, addr);
		if (!vmi_covers(b->rec_size, kind)) {
			vmi_pmq_fill_pmq(&q->pmq, vma);
			continue;
		}
		gen = c->sv.lock_gen;
		err = vmi_pmq_fill(c, vma, q, b->rec_size);
		if (err == -EAGAIN)
			break;	/* changed while its counts gave the lock up: the next hold */
		if (err)
			return err;
		if (c->sv.lock_gen != gen)	/* its counts gave the lock up: */
			p = (struct vmi_batch_pass){ };	/* the VMAs kept may be gone */
	}
	return 0;
}

/*
 * A hold's records out, after the caller's records up to b.filled: as much
 * of a record as rec_size covers, zeros past it.  Words, in one user access
 * section: a string copy is slow under TCG.
 */
static int vmi_batch_addrs_copy(struct vmi_batch *bt)
{
	struct vmainfo_query_batch *b = &bt->b;
	u32 rsz = b->rec_size, j;
	size_t len = min_t(size_t, rsz, sizeof(bt->rec[0])), o;
	void __user *r = u64_to_user_ptr(b->recs_addr) + (u64)b->filled * rsz;

	if (!user_write_access_begin(r, (u64)bt->n * rsz))
		return -EFAULT;
	for (j = 0; j < bt->n; j++, r += rsz) {
		unsafe_copy_to_user(r, (const char *)&bt->rec[j], len, efault);
		for (o = len; o < rsz; o += sizeof(u64))
			unsafe_put_user(0ULL, (u64 __user *)(r + o), efault);
	}
	user_write_access_end();
	b->filled += bt->n;
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * The array of addresses alone, VMI_BATCH_READ at a time: from the file's
 * VMA index @ix (index.c) while it is the process's, else in holds of the
 * lock (an index found stale counts these answers toward its rebuild).  The
 * records before an error are out, and b.filled counts them.
 */
static int vmi_batch_addrs(struct vmi_pmq *c, struct vmi_batch *bt, struct vmi_index *ix)
{
	struct vmainfo_query_batch *b = &bt->b;
	bool indexed = ix;
	u32 n, pos;
	int err;

	while (b->filled < b->rec_count) {
		n = min_t(u32, VMI_BATCH_READ, b->rec_count - b->filled);
		if (copy_from_user(bt->part, u64_to_user_ptr(b->addrs_addr) +
				   (u64)b->filled * sizeof(u64), n * sizeof(u64)))
			return -EFAULT;
		if (indexed) {	/* records of procmap_query's size alone */
			err = vmi_index_answer(ix, c->t.mm, bt->part,
					       u64_to_user_ptr(b->recs_addr) +
					       (u64)b->filled * b->rec_size, n, b->query_flags);
			if (!err)
				b->filled += n;
			else if (err == -EAGAIN)
				indexed = false;	/* stale: the tree */
			else
				return err;
		}
		for (pos = 0; !indexed && pos < n; pos += bt->n) {
			err = vmi_pmq_lock(c);
			if (err)
				return err;
			if (vmi_covers(b->rec_size, kind))
				vmi_collect_thread_sps(&c->sv);
			err = vmi_batch_addrs_hold(c, bt, pos, n);
			vmi_pmq_unlock(c);
			if (!err)
				err = vmi_batch_addrs_copy(bt);
			if (!err && fatal_signal_pending(current))
				err = -EINTR;
			if (err)
				return err;
			vmi_index_count(ix, bt->n);
			cond_resched();
		}
		if (indexed && fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	if (indexed)
		b->out_flags |= VMAINFO_BATCH_INDEXED;
	return 0;
}

long vmi_pmq_batch(struct file *file, void __user *uarg)
{
	struct vmainfo_query_batch *b;
	struct vmi_index *ix = NULL;
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
	if ((b->batch_flags & VMAINFO_BATCH_ADDRS) &&
	    !(b->batch_flags & (VMAINFO_BATCH_NAMES | VMAINFO_BATCH_BUILD_IDS))) {
		/* procmap_query's fields alone: the index has them */
		if ((b->batch_flags & VMAINFO_BATCH_INDEX) &&
		    b->rec_size == VMAINFO_QUERY_SIZE_VER0 && b->rec_count)
			ix = vmi_index_get(file, c);
		err = vmi_batch_addrs(c, bt, ix);
		vmi_index_put(ix);
	} else {
		err = 0;
	}
	while (b->filled < b->rec_count && !b->out_flags && !err) {
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
