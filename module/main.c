// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: a process's address space the way the kernel sees it.
 *
 * /proc/vmainfo/<pid>, /proc/vmainfo/self   (proc.c, events.c, format.c)
 * /sys/kernel/debug/vmainfo/                (debugfs.c)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include "vmainfo.h"

static int __init vmainfo_init(void)
{
	int err;

	err = vmi_gate_init();
	if (err)
		return err;
	err = vmi_stats_init();
	if (err)
		return err;
	err = vmi_proc_init();
	if (err)
		goto out_stats;
	/*
	 * debugfs last: an open debugfs file holds a module reference, which
	 * would not keep a module whose init then failed from being freed.
	 */
	err = vmi_debugfs_init();
	if (err)
		goto out_proc;
	pr_info("loaded (format %d)\n", VMAINFO_FORMAT_VERSION);
	return 0;

out_proc:
	vmi_proc_exit();
out_stats:
	vmi_live_check();
	vmi_stats_exit();
	return err;
}

static void __exit vmainfo_exit(void)
{
	vmi_debugfs_exit();
	vmi_proc_exit();
	vmi_live_check();	/* after every file is gone */
	vmi_stats_exit();
	pr_info("unloaded\n");
}

module_init(vmainfo_init);
module_exit(vmainfo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Show a process's VMAs, brk range and page tables as the kernel sees them");
MODULE_AUTHOR("vmainfo developers");
MODULE_VERSION(VMAINFO_VERSION);	/* the VERSION file, through Kbuild */
