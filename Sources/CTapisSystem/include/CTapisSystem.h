#ifndef CTAPIS_SYSTEM_H
#define CTAPIS_SYSTEM_H

#include <sys/types.h>

/// Creates a pipe whose two ends are close-on-exec, atomically (pipe2 with O_CLOEXEC), so that no
/// concurrently spawned process inherits them.
int ctapis_pipe_cloexec(int fds[2]);

/// Caps glibc's malloc arenas at `count`: without a cap a busy process gets one arena per thread
/// that ever allocated (up to eight per core), each keeping its freed memory resident.
void ctapis_limit_malloc_arenas(int count);

#endif
