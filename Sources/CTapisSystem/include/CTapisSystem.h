#ifndef CTAPIS_SYSTEM_H
#define CTAPIS_SYSTEM_H

#include <sys/types.h>

/// Creates a pipe whose two ends are close-on-exec, atomically (pipe2 with O_CLOEXEC), so that no
/// concurrently spawned process inherits them.
int ctapis_pipe_cloexec(int fds[2]);

/// The credentials of the peer of a connected Unix socket (SO_PEERCRED). Returns 0 on success.
int ctapis_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

#endif
