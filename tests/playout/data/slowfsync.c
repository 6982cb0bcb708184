/* A slow disk for tests: every fsync and fdatasync waits SLOW_FSYNC_MS (default 2500) first.
   Built by tests/playout/slowdisk.py and loaded with LD_PRELOAD into the real daemon. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void slow(void) {
    const char *ms = getenv("SLOW_FSYNC_MS");
    long wait = ms ? atol(ms) : 2500;
    struct timespec t = {wait / 1000, (wait % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {}
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    slow();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    slow();
    return real(fd);
}
