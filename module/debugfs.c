// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: files under /sys/kernel/debug/vmainfo/.
 *
 *   query    write "PID", then read: the /proc/vmainfo/<pid> text of that
 *            process.  Each open file has its own selection, so any number of
 *            readers may use it at once, and it does not depend on the
 *            /proc/vmainfo entries having caught up with a fork.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "vmainfo.h"

static struct dentry *vmi_debugfs_dir;

/* Parse "PID" (decimal, optional surrounding white space). */
static int vmi_parse_pid(const char __user *ubuf, size_t count, pid_t *nr)
{
	char buf[32];
	int err, v;

	if (!count)
		return -EINVAL;
	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	err = kstrtoint(strim(buf), 10, &v);
	if (err)
		return err;	/* -EINVAL garbage, -ERANGE overflow */
	if (v <= 0)
		return -EINVAL;
	*nr = v;
	return 0;
}

static int vmi_query_open(struct inode *inode, struct file *file)
{
	return vmi_view_open(file, NULL);
}

/* Select the process; the next read starts at the top of its text. */
static ssize_t vmi_query_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct vmi_view *v = m->private;
	struct vmi_target t;
	pid_t nr;
	int err;

	err = vmi_parse_pid(ubuf, count, &nr);
	if (err)
		return err;
	err = vmi_target_get_nr(&t, nr);
	if (err)
		return err;

	mutex_lock(&m->lock);		/* excludes seq_read() on this file */
	if (v->have_target)
		vmi_target_put(&v->t);
	v->t = t;
	v->have_target = true;
	m->index = 0;
	m->count = 0;
	m->from = 0;
	m->read_pos = 0;
	file->f_pos = 0;
	mutex_unlock(&m->lock);
	return count;
}

static const struct file_operations vmi_query_fops = {
	.owner		= THIS_MODULE,
	.open		= vmi_query_open,
	.read		= seq_read,
	.write		= vmi_query_write,
	.llseek		= seq_lseek,
	.release	= vmi_view_release,
};

int vmi_debugfs_init(void)
{
	vmi_debugfs_dir = debugfs_create_dir(VMAINFO_DEBUGFS_DIR, NULL);
	/* debugfs_create_*() results are not checked, as upstream asks. */
	debugfs_create_file("query", 0666, vmi_debugfs_dir, NULL,
			    &vmi_query_fops);
	return 0;
}

void vmi_debugfs_exit(void)
{
	debugfs_remove(vmi_debugfs_dir);
}
