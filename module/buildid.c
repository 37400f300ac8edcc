// SPDX-License-Identifier: GPL-2.0
/*
 * vmainfo: the build ID of an ELF file, for the ioctls (query.c, batch.c).
 *
 * build_id_parse_file() is not exported, so this is lib/buildid.c's
 * __build_id_parse() for a file, as 7.2 has it (Debian's 6.12.117 reads the
 * file the same way, through __kernel_read()): an ELF executable or shared
 * object, 32- or 64-bit, its first 256 program headers, the first PT_NOTE
 * that holds a "GNU" NT_GNU_BUILD_ID note of 1 to 20 bytes, with the same
 * bounds and overflow checks, type for type.  The file is read with
 * kernel_read() on a reference of the caller's (get_file()), without the
 * mmap lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include "vmainfo.h"

#define VMI_MAX_PHDR_CNT	256	/* lib/buildid.c's MAX_PHDR_CNT */
#define VMI_NT_BUILD_ID		3	/* its BUILD_ID: NT_GNU_BUILD_ID */

/* freader_fetch() with __kernel_read(): all @sz bytes at @off, or an error. */
static int vmi_read_at(struct file *f, void *buf, size_t sz, loff_t off)
{
	ssize_t n;

	if ((u64)off + sz < (u64)off)
		return -EOVERFLOW;
	n = kernel_read(f, buf, sz, &off);
	return n == sz ? 0 : n < 0 ? n : -EIO;
}

/* parse_build_id() of lib/buildid.c: a GNU build-ID note in one PT_NOTE. */
static int vmi_note_build_id(struct file *f, u8 *id, u32 *size,
			     loff_t note_off, Elf32_Word note_size)
{
	static const char gnu[] = "GNU";
	struct {
		Elf32_Nhdr h;
		char name[sizeof(gnu)];
	} nh;
	u32 id_off, new_off, note_end, name_sz, desc_sz;
	int err;

	if (check_add_overflow(note_off, note_size, &note_end))
		return -EINVAL;
	while (note_end - note_off > sizeof(Elf32_Nhdr) + sizeof(gnu)) {
		err = vmi_read_at(f, &nh, sizeof(nh), note_off);
		if (err)
			return err;
		name_sz = nh.h.n_namesz;
		desc_sz = nh.h.n_descsz;
		new_off = note_off + sizeof(Elf32_Nhdr);
		if (check_add_overflow(new_off, ALIGN(name_sz, 4), &new_off) ||
		    check_add_overflow(new_off, ALIGN(desc_sz, 4), &new_off) ||
		    new_off > note_end)
			break;
		if (nh.h.n_type == VMI_NT_BUILD_ID && name_sz == sizeof(gnu) &&
		    !memcmp(nh.name, gnu, sizeof(gnu)) &&
		    desc_sz > 0 && desc_sz <= VMI_BUILD_ID_MAX) {
			id_off = note_off + sizeof(Elf32_Nhdr) + ALIGN(sizeof(gnu), 4);
			err = vmi_read_at(f, id, desc_sz, id_off);
			if (err)
				return err;
			*size = desc_sz;
			return 0;
		}
		note_off = new_off;
	}
	return -EINVAL;
}

/*
 * __build_id_parse() of lib/buildid.c for a file: an ELF executable or shared
 * object, 32- or 64-bit, its first 256 program headers, the first PT_NOTE
 * with a GNU build-ID note.  What freader_fetch() refuses (memfd_secret()) or
 * __kernel_read() cannot read gives no build ID here before it is tried, so
 * that no WARN and no log line come of it.
 */
int vmi_build_id(struct file *f, u8 *id, u32 *size)
{
	union {
		Elf32_Ehdr e32;
		Elf64_Ehdr e64;
		Elf32_Phdr p32;
		Elf64_Phdr p64;
	} u;
	u32 phnum, i, type;
	size_t phsz;
	u64 phoff;
	bool is64;
	int err;

	if (file_inode(f)->i_sb->s_magic == SECRETMEM_MAGIC)
		return -EFAULT;
	if (!(f->f_mode & FMODE_READ) || !(f->f_mode & FMODE_CAN_READ) ||
	    !f->f_op->read_iter || f->f_op->read)
		return -EINVAL;
	err = vmi_read_at(f, &u, offsetofend(Elf32_Ehdr, e_type), 0);
	if (err)
		return err;
	if (memcmp(u.e32.e_ident, ELFMAG, SELFMAG) ||
	    (u.e32.e_type != ET_EXEC && u.e32.e_type != ET_DYN))
		return -EINVAL;
	if (u.e32.e_ident[EI_CLASS] != ELFCLASS32 && u.e32.e_ident[EI_CLASS] != ELFCLASS64)
		return -EINVAL;
	is64 = u.e32.e_ident[EI_CLASS] == ELFCLASS64;
	err = vmi_read_at(f, &u, is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr), 0);
	if (err)
		return err;
	phnum = min_t(u32, is64 ? u.e64.e_phnum : u.e32.e_phnum, VMI_MAX_PHDR_CNT);
	phoff = is64 ? u.e64.e_phoff : u.e32.e_phoff;
	phsz = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (phoff + phnum * phsz < phoff)
		return -EINVAL;
	for (i = 0; i < phnum; i++) {
		err = vmi_read_at(f, &u, phsz, phoff + i * phsz);
		if (err)
			return err;
		type = is64 ? u.p64.p_type : u.p32.p_type;
		if (type == PT_NOTE &&
		    !vmi_note_build_id(f, id, size, is64 ? u.p64.p_offset : u.p32.p_offset,
				       is64 ? u.p64.p_filesz : u.p32.p_filesz))
			return 0;
	}
	return -EINVAL;
}
