// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: /sys/kernel/debug/vmainfo/layout, the virtual address space split
 * and the kernel's regions as on this boot.  It defeats KASLR, so it is for
 * CAP_SYS_ADMIN only (checked at open, on top of debugfs's own 0700).
 * One view per architecture: x86-64 (arch/x86/include/asm/pgtable_64_types.h,
 * Documentation/arch/x86/x86_64/mm.rst) and arm64 (arch/arm64/include/asm/
 * memory.h, Documentation/arch/arm64/memory.rst); their headers come through
 * compat.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include "compat.h"
#include "vmainfo.h"

static void vmi_region(struct seq_file *m, const char *name, unsigned long start,
		       unsigned long end, const char *what)
{
	seq_printf(m, "%-16s 0x%016lx 0x%016lx %12lu  %s\n", name, start, end,
		   (end - start) >> 20, what);
}

#ifdef CONFIG_X86
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
#endif /* CONFIG_X86 */

#ifdef CONFIG_ARM64
/*
 * arm64 splits the address space by the top bit: TTBR0_EL1 translates the
 * user half [0, 2^vabits_actual), TTBR1_EL1 the kernel half
 * [-2^vabits_actual, 2^64).  VA_BITS is the build's maximum (52 in Debian's
 * 4K-page kernel, with LPA2); vabits_actual is this boot's (48 without LPA2
 * or with lpa2=off, then one page-table level fewer).  The kernel half, from
 * the bottom: the linear map of all RAM (its lower half, PAGE_OFFSET ..
 * PAGE_END), the module area (MODULES_VADDR; since 6.5 arm64 loads modules
 * in a randomised 2 GiB window around the kernel image instead, which is
 * not exported: execmem, arch/arm64/mm/init.c), vmalloc (the kernel image
 * sits in it, KASLR inside),
 * vmemmap, PCI I/O and the fixmap.  When vabits_actual < VA_BITS, the part of
 * the linear map and of vmemmap below -2^vabits_actual is unused: the linear
 * map then starts at _PAGE_OFFSET(vabits_actual), and vmalloc ends inside the
 * unused vmemmap (VMALLOC_END).
 */
int vmi_layout_show(struct seq_file *m, void *unused)
{
	unsigned int levels = pgtable_l5_enabled() ? 5 : pgtable_l4_enabled() ? 4 : 3;
	unsigned long va = vabits_actual;
	unsigned long text = (unsigned long)&_printk & ~(PMD_SIZE - 1);
	unsigned long linear = _PAGE_OFFSET(va);
	unsigned long vmemmap_used = VMEMMAP_START +
		((linear - PAGE_OFFSET) >> PAGE_SHIFT) * sizeof(struct page);

	seq_printf(m, "paging_levels: %u\n", levels);
	seq_printf(m, "user_va_bits: %lu\n", va);
	seq_printf(m, "task_size: 0x%lx\n", TASK_SIZE_64);
	seq_printf(m, "page_offset: 0x%lx\n", linear);
	seq_printf(m, "kernel_text_2m: 0x%lx\n", text);
	seq_printf(m, "va_bits: %u\n", VA_BITS);
	seq_printf(m, "vabits_actual: %lu\n", va);
	seq_printf(m, "page_size: %lu\n", PAGE_SIZE);
	seq_printf(m, "ttbr0: 0x%016lx-0x%016lx (user half)\n", 0UL, TASK_SIZE_64 - 1);
	seq_printf(m, "ttbr1: 0x%016lx-0x%016lx (kernel half)\n\n", linear, ~0UL);
	seq_printf(m, "%-16s %-18s %-18s %12s  %s\n", "region", "start", "end", "mib", "what");
	vmi_region(m, "user", 0, TASK_SIZE_64, "user space of a 64-bit process (TTBR0)");
	/* PAGE_END is KASAN_SHADOW_START on a KASAN build: the shadow follows */
	vmi_region(m, "linear_map", linear, PAGE_END,
		   "all RAM, mapped 1:1 (TTBR1 from here)");
	vmi_region(m, "modules", MODULES_VADDR, MODULES_END,
		   "module area (6.12 loads modules within 2 GiB of the image)");
	vmi_region(m, "vmalloc", VMALLOC_START, VMALLOC_END,
		   "vmalloc/ioremap space, the kernel image (KASLR inside)");
	vmi_region(m, "kernel_text", text, text + PMD_SIZE, "2 MiB around _printk");
	vmi_region(m, "vmemmap", vmemmap_used, VMEMMAP_END,
		   "struct page array of the linear map");
	vmi_region(m, "pci_io", PCI_IO_START, PCI_IO_END, "PCI I/O space");
	vmi_region(m, "fixmap", FIXADDR_TOT_START, FIXADDR_TOP, "compile-time fixed mappings");
	return 0;
}
#endif /* CONFIG_ARM64 */
