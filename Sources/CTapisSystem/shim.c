#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE
#endif

#include "CTapisSystem.h"
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

int ctapis_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

void ctapis_limit_malloc_arenas(int count) {
    mallopt(M_ARENA_MAX, count);
}
