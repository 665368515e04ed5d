#ifndef PFS_FILE_SYSTEM_H
#define PFS_FILE_SYSTEM_H

/* Linux calls that Swift's Glibc module does not expose (they are GNU extensions). */

/* syncfs(2): flushes the file system holding `fd` — one flush for many new files. */
int pfs_syncfs(int fd);

/* sync_file_range(2) with SYNC_FILE_RANGE_WRITE: starts writing the file's dirty pages
   without waiting, so that a later flush finds them written. */
int pfs_start_writeback(int fd);

#endif
