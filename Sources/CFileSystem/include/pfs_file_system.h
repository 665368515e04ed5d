#ifndef PFS_FILE_SYSTEM_H
#define PFS_FILE_SYSTEM_H

/* Linux calls that Swift's Glibc module does not expose (they are GNU extensions). */

/* syncfs(2): flushes the file system holding `fd` — one flush for many new files. */
int pfs_syncfs(int fd);

/* sync_file_range(2) with SYNC_FILE_RANGE_WRITE: starts writing the file's dirty pages
   without waiting, so that a later flush finds them written. */
int pfs_start_writeback(int fd);

/* renameat2(2) with RENAME_NOREPLACE: gives `from` the name `to` only if no file has that
   name (EEXIST otherwise), atomically. Where the file system does not support the flag
   (EINVAL), link(2) then unlink(2) of `from`, which is exclusive too. */
int pfs_rename_noreplace(const char *from, const char *to);

#endif
