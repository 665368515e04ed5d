#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "pfs_file_system.h"

int pfs_syncfs(int fd) { return syncfs(fd); }

int pfs_start_writeback(int fd) { return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE); }
