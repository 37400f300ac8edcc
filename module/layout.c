// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: /sys/kernel/debug/vmainfo/layout, the virtual address space split
 * and the kernel's regions as on this boot.  It defeats KASLR, so it is for
 * CAP_SYS_ADMIN only (checked at open, on top of debugfs's own 0700).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <asm/cpu_entry_area.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include "vmainfo.h"

static void vmi_region(struct seq_file *m, const char *name, unsigned long start,
		       unsigned long end, const char *what)
{
	seq_printf(m, "%-16s 0x%016lx 0x%016lx %12lu  %s\n", name, start, end,
		   (end - start) >> 20, what);
}

int vmi_layout_show(struct seq_file *m, void *unused)
{
	unsigned int levels = pgtable_l5_enabled() ? 5 : 4;
	unsigned long text = (unsigned long)&_printk & ~(PMD_SIZE - 1);

	seq_printf(m, "paging_levels: %u\n", levels);
	seq_printf(m, "user_va_bits: %u\n", levels == 5 ? 56 : 47);
	seq_printf(m, "task_size: 0x%lx\n", TASK_SIZE_MAX);
	seq_printf(m, "page_offset: 0x%lx\n", PAGE_OFFSET);
	seq_printf(m, "kernel_text_2m: 0x%lx\n\n", text);
	seq_printf(m, "%-16s %-18s %-18s %12s  %s\n", "region", "start", "end", "mib", "what");
	vmi_region(m, "user", 0, TASK_SIZE_MAX, "user space of a 64-bit process");
	vmi_region(m, "direct_map", PAGE_OFFSET, (unsigned long)high_memory,
		   "all RAM, mapped 1:1 (PAGE_OFFSET .. high_memory)");
	vmi_region(m, "vmalloc", VMALLOC_START, VMALLOC_END, "vmalloc/ioremap space");
	vmi_region(m, "vmemmap", VMEMMAP_START,
		   VMEMMAP_START + ((unsigned long)high_memory - PAGE_OFFSET) /
		   PAGE_SIZE * sizeof(struct page), "struct page array of that RAM");
	vmi_region(m, "cpu_entry_area", CPU_ENTRY_AREA_BASE,
		   CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE, "per-CPU entry stacks, GDT, TSS");
	vmi_region(m, "kernel_image", __START_KERNEL_map,
		   __START_KERNEL_map + KERNEL_IMAGE_SIZE, "kernel text and data (KASLR inside)");
	vmi_region(m, "kernel_text", text, text + PMD_SIZE, "2 MiB around _printk");
	vmi_region(m, "modules", MODULES_VADDR, MODULES_END, "loadable modules");
	vmi_region(m, "fixmap", FIXADDR_START, FIXADDR_TOP, "compile-time fixed mappings");
	return 0;
}
