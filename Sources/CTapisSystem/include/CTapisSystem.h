#ifndef CTAPIS_SYSTEM_H
#define CTAPIS_SYSTEM_H

#include <sys/types.h>

/// Creates a pipe whose two ends are close-on-exec, atomically (pipe2 with O_CLOEXEC), so that no
/// concurrently spawned process inherits them.
int ctapis_pipe_cloexec(int fds[2]);

#endif
