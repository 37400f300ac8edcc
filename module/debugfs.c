// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: files under /sys/kernel/debug/vmainfo/.
 *
 *   query    write "PID", then read: the /proc/vmainfo/<pid> text of that
 *            process.  Each open file has its own selection, so any number of
 *            readers may use it at once, and it does not depend on the
 *            /proc/vmainfo entries having caught up with a fork.
 *   pagemap  write "PID [START END] [pfn]", then read: run-length-encoded
 *            page states of that process (pagemap.c); frame numbers only on
 *            request and only for CAP_SYS_ADMIN.
 *
 *   counters write "PID", then read: its mm->rss_stat percpu_counter state
 *            (counters.c)
 *   stats    the module's own statistics (counters.c)
 *   layout   the kernel's virtual memory layout, CAP_SYS_ADMIN only (layout.c)
 *
 * The selecting files check access like /proc/vmainfo/<pid> (target.c), at
 * the write that selects the process, with the credentials of the task that
 * opened the file.  /proc/vmainfo/query is the query file for everyone, in
 * procfs (its operations are here, with the others).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "vmainfo.h"

static struct dentry *vmi_debugfs_dir;

#define VMI_SELECT_MAX	96	/* "PID START END" with room for spaces */

/*
 * Parse "PID" or, when @range, "PID [START END] [pfn]" (START and END in hex
 * with 0x, or decimal; "pfn" asks for frame numbers).  -EINVAL for garbage,
 * empty input, a NUL byte, pid <= 0, START >= END or an END beyond the user
 * address space; -ERANGE for overflow.
 */
static int vmi_parse_select(const char __user *ubuf, size_t count, bool range,
			    pid_t *nr, unsigned long *start, unsigned long *end,
			    bool *pfn)
{
	char buf[VMI_SELECT_MAX], *p, *tok[5];
	unsigned int n = 0;
	int err, v;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	/* A NUL byte would end the string early and hide what follows it. */
	if (memchr(buf, '\0', count))
		return -EINVAL;
	buf[count] = '\0';
	p = strim(buf);
	while (p && *p && n < ARRAY_SIZE(tok)) {
		tok[n++] = strsep(&p, " \t\n");
		p = p ? skip_spaces(p) : NULL;
	}
	*pfn = range && n > 1 && !strcmp(tok[n - 1], "pfn");
	if (*pfn)
		n--;
	if (!n || (p && *p) || (n != 1 && (!range || n != 3)))
		return -EINVAL;
	err = kstrtoint(tok[0], 10, &v);
	if (err)
		return err;	/* -EINVAL garbage, -ERANGE overflow */
	if (v <= 0)
		return -EINVAL;
	*nr = v;
	*start = 0;
	*end = TASK_SIZE_MAX;
	if (n == 3) {
		err = kstrtoul(tok[1], 0, start);
		if (!err)
			err = kstrtoul(tok[2], 0, end);
		if (err)
			return err;
		if (*start >= *end || *end > TASK_SIZE_MAX)
			return -EINVAL;
		*start &= PAGE_MASK;
		*end = PAGE_ALIGN(*end);
	}
	return 0;
}

#define VMI_SEL_RANGE	0x1	/* "PID [START END]" */
#define VMI_SEL_NEED_MM	0x2	/* a kernel thread is refused (ENODATA) */

/*
 * Select the process (and range) of this open file; the next read starts at
 * the top (the write leaves the file position at 0).
 */
static ssize_t vmi_select(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos, unsigned int how)
{
	struct vmi_view *v;
	bool range = how & VMI_SEL_RANGE, pfn;
	unsigned long start, end;
	struct vmi_target t;
	pid_t nr;
	int err;

	err = vmi_parse_select(ubuf, count, range, &nr, &start, &end, &pfn);
	if (err)
		return err;
	/*
	 * Physical frames are for CAP_SYS_ADMIN only, as in /proc/PID/pagemap,
	 * and like pagemap_read() it is the opener's capability that counts.
	 */
	if (pfn && !file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	err = vmi_target_get_nr(&t, nr, file);
	if (err)
		return err;
	if ((how & VMI_SEL_NEED_MM) && !t.mm) {
		vmi_target_put(&t);
		return -ENODATA;	/* kernel thread: no page tables of its own */
	}

	v = vmi_view_select(file, &t);	/* excludes seq_read() on this file */
	if (range)
		vmi_pagemap_set_range(v, start, end, pfn);
	*ppos = 0;		/* vfs_write() stores it in f_pos: read from the top */
	vmi_view_select_done(file);
	return count;
}

static int vmi_query_open(struct inode *inode, struct file *file)
{
	return vmi_text_open(file, NULL);
}

static ssize_t vmi_query_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	return vmi_select(file, ubuf, count, ppos, 0);
}

static ssize_t vmi_pagemap_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return vmi_select(file, ubuf, count, ppos, VMI_SEL_RANGE | VMI_SEL_NEED_MM);
}

static int vmi_counters_open(struct inode *inode, struct file *file)
{
	return PTR_ERR_OR_ZERO(vmi_view_open(file, NULL, &vmi_counters_seq_ops,
					     sizeof(struct vmi_view)));
}

static ssize_t vmi_counters_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return vmi_select(file, ubuf, count, ppos, VMI_SEL_NEED_MM);
}

static const struct file_operations vmi_counters_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_counters_open,
	.read		= seq_read,
	.write		= vmi_counters_write,
	.llseek		= seq_lseek,
	.release	= vmi_view_release,
};

static int vmi_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, vmi_stats_show, NULL);
}

static const struct file_operations vmi_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_stats_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* The layout defeats KASLR: CAP_SYS_ADMIN only, whatever debugfs's mode. */
static int vmi_layout_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* Under lockdown's confidentiality mode, kernel addresses stay hidden. */
	if (security_locked_down(LOCKDOWN_KCORE))
		return -EPERM;
	return single_open(file, vmi_layout_show, NULL);
}

static const struct file_operations vmi_layout_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_layout_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static const struct file_operations vmi_pagemap_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_pagemap_open,
	.read		= seq_read,
	.write		= vmi_pagemap_write,
	.llseek		= seq_lseek,
	.release	= vmi_pagemap_release,
};

/*
 * /proc/vmainfo/query: the same selection for every user (the pid in the
 * writer's pid namespace, access with the opener's credentials and the
 * mount's hidepid=), for readers inside a pid namespace, where the
 * /proc/vmainfo/<nr> entries (initial-namespace numbers) do not open.
 */
const struct proc_ops vmi_proc_query_ops = {
	.proc_open	= vmi_query_open,
	.proc_read	= seq_read,
	.proc_write	= vmi_query_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= vmi_view_release,
	VMI_PROC_IOCTLS,
};

static const struct file_operations vmi_query_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_query_open,
	.read		= seq_read,
	.write		= vmi_query_write,
	.llseek		= seq_lseek,
	.release	= vmi_view_release,
	.unlocked_ioctl	= vmi_query_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,	/* debugfs's proxy has none (6.1-7.2) */
};

int vmi_debugfs_init(void)
{
	if (vmi_should_fail(VMI_FAIL_DEBUGFS))
		return -ENOMEM;
	vmi_debugfs_dir = debugfs_create_dir(VMAINFO_DEBUGFS_DIR, NULL);
	/* debugfs_create_*() results are not checked, as upstream asks. */
	debugfs_create_file("query", 0666, vmi_debugfs_dir, NULL,
			    &vmi_query_fops);
	debugfs_create_file("pagemap", 0666, vmi_debugfs_dir, NULL,
			    &vmi_pagemap_fops);
	debugfs_create_file("share", 0666, vmi_debugfs_dir, NULL,
			    &vmi_share_fops);
	debugfs_create_file("counters", 0666, vmi_debugfs_dir, NULL,
			    &vmi_counters_fops);
	debugfs_create_file("stats", 0444, vmi_debugfs_dir, NULL,
			    &vmi_stats_fops);
	debugfs_create_file("layout", 0400, vmi_debugfs_dir, NULL,
			    &vmi_layout_fops);
	return 0;
}

void vmi_debugfs_exit(void)
{
	debugfs_remove(vmi_debugfs_dir);
}
