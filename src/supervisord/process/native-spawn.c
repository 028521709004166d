/*
 * The daemon's native spawner: a vfork-style clone + exec, the reaping of the children it made,
 * and (native-output.c) the reading of their output pipes. Built by scripts/build.mjs into dist/native/spawner.node;
 * native-spawn.ts loads it and falls back to node:child_process when it is missing.
 *
 * Why not libuv's uv_spawn (node:child_process):
 * - uv_spawn fork()s the whole daemon (page tables of a ~60 MiB heap, then copy-on-write faults
 *   in the parent) and blocks until the child has exec'd: ~3 ms per child here against ~0.8 ms for
 *   a vfork-style spawn, the machine's own floor (docs/benchmarks.md, start-all).
 * - libuv reaps by calling waitpid(pid, WNOHANG) for every live child on every SIGCHLD, which is
 *   quadratic when 1000 children stop together (stop-all). reap() below reaps exactly the children
 *   that ended: each child's pidfd sits in an epoll set of our own, which reports the ended ones.
 *   (Without pidfds, it asks the kernel for a zombie with waitid WNOWAIT, a walk over all children
 *   that costs ~25 us per call with 1000 of them.)
 * - net.Socket reads a pipe in 64 KiB chunks through the stream machinery; the readers of
 *   native-output.c read what the pipe holds per wake-up and call JS once, or write it straight
 *   into the log file from the thread pool.
 *
 * - The child shares the daemon's fd table for its first instant instead of getting a copy of all
 *   of it (4000 fds with 1000 children), and keeps only its three fds (see "low slots").
 *
 * What the child gets is what libuv gave it: its own session (setsid), every signal at SIG_DFL and
 * unblocked, the given environment, fds 0-2 from pipes (or the given fd 0). Unlike libuv, it also
 * closes every other fd, as supervisord's child does (libuv relies on O_CLOEXEC alone).
 * redirect_stderr is a dup2 of the stdout pipe onto fd 2, as supervisord does. An exec failure
 * (ENOENT, EACCES...) is thrown, not a child that exits.
 *
 * JS API:
 *   spawn(file, argv, envp, cwd|null, umask(-1 = keep), stdinFd(-1 = make a pipe), mergeStderr)
 *     -> [pid, stdinWriteFd|-1, stdoutReadFd, stderrReadFd|-1]; throws Error{code: "ENOENT"...}
 *   reap() -> flat array [pid, exitCode|-1, signal|0, flags, ...] of children that ended since the
 *     last call; flags: 1 core dumped, 2 not spawned by us (only with setReapUnknown(true))
 *   setReapUnknown(bool): also reap children we did not spawn (orphans re-parented to PID 1)
 *   reapInfo() -> [live children, of which without a pidfd]
 *   exempt(pid, bool): a child of node:child_process, which libuv reaps itself
 *   readerOpen, readerPause, readerSink, readerClose: the output pipes (native-output.c)
 *   listen(fd, backlog) -> 0 | -errno: an fcgi socket listens without libuv polling it
 */
#define _GNU_SOURCE
#include "native-addon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- sets of pids: sorted arrays (N is a few thousand at most), each pid with an fd ---- */

struct pidset {
  pid_t *v;
  int *fd; /* live: the child's pidfd, -1 when it has none */
  size_t len, cap;
};

/* The live children we spawned, and the children of node:child_process that reap() must leave to libuv. */
static struct pidset live = {NULL, NULL, 0, 0}, exempt = {NULL, NULL, 0, 0};
/* The pidfds of live children, level-triggered: readable once the child has ended. -1 until the
 * first spawn, -2 when epoll or pidfds are not available (then every child is untracked). */
static int reap_epfd = -1;
/* Live children without a pidfd in reap_epfd (pidfd_open failed, e.g. EMFILE): reap() walks. */
static size_t untracked = 0;
/* supervisord reaps every child (waitpid(-1)), logging the ones it did not spawn: orphans that were
 * re-parented to it when it runs as PID 1. On only when the daemon asks (setReapUnknown) and it
 * can have such children: as PID 1 or a child subreaper. Otherwise every child is one we spawned
 * (tracked) or one of libuv's (exempt), and reap() need not walk. */
static bool reap_unknown = false;

static size_t set_index(const struct pidset *s, pid_t pid) {
  size_t lo = 0, hi = s->len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->v[mid] < pid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static bool set_has(const struct pidset *s, pid_t pid) {
  size_t i = set_index(s, pid);
  return i < s->len && s->v[i] == pid;
}

static int set_add(struct pidset *s, pid_t pid, int fd) {
  if (set_has(s, pid)) return 0;
  if (s->len == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    pid_t *grown = realloc(s->v, cap * sizeof(pid_t));
    if (!grown) return -1;
    s->v = grown;
    int *grown_fd = realloc(s->fd, cap * sizeof(int));
    if (!grown_fd) return -1;
    s->fd = grown_fd;
    s->cap = cap;
  }
  size_t i = set_index(s, pid);
  memmove(s->v + i + 1, s->v + i, (s->len - i) * sizeof(pid_t));
  memmove(s->fd + i + 1, s->fd + i, (s->len - i) * sizeof(int));
  s->v[i] = pid;
  s->fd[i] = fd;
  s->len++;
  return 0;
}

/* Removes pid; returns its fd (-1 when none or absent). */
static int set_remove(struct pidset *s, pid_t pid) {
  size_t i = set_index(s, pid);
  if (i >= s->len || s->v[i] != pid) return -1;
  int fd = s->fd[i];
  memmove(s->v + i, s->v + i + 1, (s->len - i - 1) * sizeof(pid_t));
  memmove(s->fd + i, s->fd + i + 1, (s->len - i - 1) * sizeof(int));
  s->len--;
  return fd;
}

/* ---- pidfds: how reap() learns which children ended without walking all of them ---- */

/* A pidfd for the child, registered in reap_epfd; -1 when it cannot have one (it is then reaped
 * by the walk). The epoll event carries the pid: reap() needs nothing else. */
static int track_exit(pid_t pid) {
  if (reap_epfd == -1) {
    reap_epfd = epoll_create1(EPOLL_CLOEXEC);
    if (reap_epfd < 0) reap_epfd = -2;
  }
  if (reap_epfd < 0) return -1;
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0); /* always O_CLOEXEC */
  if (pidfd < 0) {
    if (errno == ENOSYS) {
      close(reap_epfd);
      reap_epfd = -2;
    }
    return -1;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)(uint32_t)pid};
  if (epoll_ctl(reap_epfd, EPOLL_CTL_ADD, pidfd, &ev) != 0) {
    close(pidfd);
    return -1;
  }
  return pidfd;
}

/* The child is no longer ours to reap: drop it from live and close its pidfd (which also takes it
 * out of reap_epfd). */
static void forget_child(pid_t pid) {
  if (!set_has(&live, pid)) return;
  int pidfd = set_remove(&live, pid);
  if (pidfd >= 0) close(pidfd);
  else untracked--;
}

/* ---- helpers ---- */

napi_value throw_errno(napi_env env, int err, const char *what) {
  const char *name = strerrorname_np(err);
  napi_value code, msg, error;
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  char text[256];
  snprintf(text, sizeof text, "%s: %s", what, strerror(err));
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  napi_value errno_value;
  napi_create_int32(env, err, &errno_value);
  napi_set_named_property(env, error, "errno", errno_value);
  napi_throw(env, error);
  return NULL;
}

/* A string argument as a malloc'd C string; NULL for null/undefined or on failure. */
static char *get_string(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string) return NULL;
  size_t len;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, value, s, len + 1, &len);
  return s;
}

static void free_strv(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

/* A JS array of strings as a NULL-terminated, malloc'd vector. */
static char **get_strv(napi_env env, napi_value array) {
  uint32_t n;
  if (napi_get_array_length(env, array, &n) != napi_ok) return NULL;
  char **v = calloc(n + 1, sizeof(char *));
  if (!v) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, array, i, &item);
    v[i] = get_string(env, item);
    if (!v[i]) {
      free_strv(v);
      return NULL;
    }
  }
  return v;
}

/* Pipes made while fds 0-2 are closed must not land there: the dup2 onto 0-2 would clobber them. */
static int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return moved;
}

static int make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  fds[0] = above_stdio(fds[0]);
  fds[1] = above_stdio(fds[1]);
  if (fds[0] < 0 || fds[1] < 0) {
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
    return -1;
  }
  return 0;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* ---- spawn ---- */

/*
 * The child runs on its own small stack in the daemon's memory (CLONE_VM) while the daemon's
 * thread waits (CLONE_VFORK) until it has exec'd or died: no page tables are copied. It is glibc's
 * posix_spawn technique, written out because posix_spawn leaves glibc's internal signals (32, 33)
 * ignored in the child, and a per-child umask would need the daemon's own umask changed.
 *
 * Only async-signal-safe calls here. Without CLONE_FS the child has its own cwd and umask.
 */
struct child_args {
  const char *file;
  char *const *argv;
  char *const *envp;
  const char *cwd;
  int mask;
  int fd[3];
  /* >= 0: the child shares the daemon's fd table (CLONE_FILES) and first takes a private copy of
   * fds [0, unshare_below) only; its fd[] are then in the low slots (see hand_over below). */
  int unshare_below;
  volatile int err; /* written by the child when it cannot exec */
  volatile bool unshare_failed; /* the kernel has no CLOSE_RANGE_UNSHARE (Linux < 5.9) */
};

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

/*
 * Handing the child its three fds through low slots.
 *
 * A clone without CLONE_FILES copies the daemon's whole fd table into the child (a reference per
 * open file), which the child then closes again above fd 2. With 1000 children the daemon holds
 * ~4000 fds (pipes, log files, pidfds), and that copy and close was a third of the time a spawn
 * kept the daemon waiting. Instead, three fds opened on /dev/null when the first child is spawned
 * hold slots low in the table; for each spawn the child's pipe ends are dup'ed into them, the
 * child shares the table (CLONE_FILES) and its first act is close_range(UNSHARE) from just above
 * the slots, which gives it a private table holding only the fds below (Linux >= 5.9). The daemon
 * puts /dev/null back into the slots once the child has exec'd. Without kernel support (or if the
 * slots cannot be made), every spawn takes the plain path.
 */
static int slot[3] = {-1, -1, -1};
static int slot_filler = -1;
static int slots_end = 0;   /* the highest slot + 1: the child copies fds below it */
static int slots_state = 0; /* 0 not made yet, 1 usable, -1 not */

static void drop_slots(void) {
  slots_state = -1;
  for (int i = 0; i < 3; i++) close_fd(&slot[i]);
  close_fd(&slot_filler);
}

/* Whether the kernel has CLOSE_RANGE_UNSHARE is learnt from the first child (probing it in the
 * daemon would unshare the calling thread's table from the other threads of the process). */
static bool slots_usable(void) {
  if (slots_state != 0) return slots_state > 0;
  /* SUPERVISORD_SPAWN_FD_SLOTS=0: the plain path always, as on a kernel without the flag (tests). */
  const char *env = getenv("SUPERVISORD_SPAWN_FD_SLOTS");
  if (env && strcmp(env, "0") == 0) {
    slots_state = -1;
    return false;
  }
  slot_filler = open("/dev/null", O_RDONLY | O_CLOEXEC);
  /* Above 2, so that the child's dup2 of the slots onto 0-2 never overwrites a slot not yet read
   * (a daemon started with fd 0, 1 or 2 closed would otherwise get a slot there). */
  for (int i = 0; i < 3 && slot_filler >= 0; i++) slot[i] = fcntl(slot_filler, F_DUPFD_CLOEXEC, 3);
  if (slot_filler < 0 || slot[0] < 0 || slot[1] < 0 || slot[2] < 0) {
    drop_slots();
    return false;
  }
  for (int i = 0; i < 3; i++)
    if (slot[i] >= slots_end) slots_end = slot[i] + 1;
  slots_state = 1;
  return true;
}

/* Puts the child's fds into the slots; false (slots as they were) if a dup fails. */
static bool hand_over(int fd[3]) {
  for (int i = 0; i < 3; i++) {
    if (dup3(fd[i], slot[i], O_CLOEXEC) < 0) {
      for (int j = 0; j < i; j++) dup3(slot_filler, slot[j], O_CLOEXEC);
      return false;
    }
  }
  return true;
}

static void take_back(void) {
  for (int i = 0; i < 3; i++) dup3(slot_filler, slot[i], O_CLOEXEC);
}

static long raw_sigmask(int how, const uint64_t *set, uint64_t *old) {
  return syscall(SYS_rt_sigprocmask, how, set, old, sizeof(uint64_t));
}

static int child_main(void *p) {
  struct child_args *a = p;
  /* Sharing the daemon's table: a private copy of the low fds first, before any fd changes. */
  if (a->unshare_below >= 0 && syscall(SYS_close_range, (unsigned)a->unshare_below, ~0U, CLOSE_RANGE_UNSHARE) < 0) {
    a->err = errno ? errno : EINVAL;
    a->unshare_failed = true;
    _exit(127);
  }
  /* Every signal at its default action, including the ones Node ignores (SIGPIPE, SIGXFSZ) and
   * glibc's internal ones; libuv's fork child did the same. */
  for (int sig = 1; sig <= 64; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct {
      void *handler;
      unsigned long flags;
      void *restorer;
      uint64_t mask;
    } dfl = {SIG_DFL, 0, NULL, 0};
    syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(uint64_t));
  }
  if (setsid() < 0) goto fail;
  if (a->mask >= 0) umask((mode_t)a->mask);
  for (int i = 0; i < 3; i++) {
    if (a->fd[i] == i) {
      if (fcntl(i, F_SETFD, 0) < 0) goto fail; /* keep it across exec */
    } else if (dup2(a->fd[i], i) < 0) {
      goto fail;
    }
    /* A given fd (the fcgi socket) is non-blocking in the daemon; programs expect blocking stdio,
     * as libuv and Python hand it to them. */
    int fl = fcntl(i, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(i, F_SETFL, fl & ~O_NONBLOCK);
  }
  /* supervisord closes every fd above 2 in the child; ours are O_CLOEXEC anyway, but an fd the
   * daemon itself inherited without it must not reach the children either. */
  if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
    for (int fd = 3; fd < 65536; fd++) close(fd);
  }
  if (a->cwd && chdir(a->cwd) < 0) goto fail;
  uint64_t none = 0;
  raw_sigmask(SIG_SETMASK, &none, NULL);
  execve(a->file, a->argv, a->envp);
fail:
  a->err = errno ? errno : EINVAL;
  _exit(127);
}

#define CHILD_STACK_SIZE (64 * 1024)
static char *child_stack = NULL;

static napi_value Spawn(napi_env env, napi_callback_info info) {
  napi_value args[7];
  if (get_args(env, info, 7, args) < 7) {
    napi_throw_type_error(env, NULL, "spawn(file, argv, envp, cwd, umask, stdinFd, mergeStderr)");
    return NULL;
  }
  char *file = get_string(env, args[0]);
  char **argv = get_strv(env, args[1]);
  char **envp = get_strv(env, args[2]);
  char *cwd = get_string(env, args[3]);
  int32_t mask = int32_arg(env, args[4]), stdin_fd = int32_arg(env, args[5]);
  bool merge = bool_arg(env, args[6]);

  napi_value result = NULL;
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  int failure = 0;
  const char *stage = "spawn";
  pid_t pid = -1;

  if (!file || !argv || !envp) {
    failure = ENOMEM;
    stage = "arguments";
    goto done;
  }
  if (!child_stack) {
    child_stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (child_stack == MAP_FAILED) {
      child_stack = NULL;
      failure = errno;
      stage = "stack";
      goto done;
    }
  }
  if ((stdin_fd < 0 && make_pipe(in) != 0) || make_pipe(out) != 0 || (!merge && make_pipe(err) != 0)) {
    failure = errno;
    stage = "pipe";
    goto done;
  }

  struct child_args child = {
      .file = file,
      .argv = argv,
      .envp = envp,
      .cwd = cwd,
      .mask = mask,
      .fd = {stdin_fd >= 0 ? stdin_fd : in[0], out[1], merge ? out[1] : err[1]},
  };
  int plain[3] = {child.fd[0], child.fd[1], child.fd[2]};
  uint64_t all = ~(uint64_t)0, old;
  for (;;) {
    bool slotted = slots_usable() && hand_over(plain);
    for (int i = 0; i < 3; i++) child.fd[i] = slotted ? slot[i] : plain[i];
    child.unshare_below = slotted ? slots_end : -1;
    child.err = 0;
    child.unshare_failed = false;
    /* No handler may run in the child before it has reset them: block everything around clone. */
    raw_sigmask(SIG_SETMASK, &all, &old);
    pid = clone(child_main, child_stack + CHILD_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD | (slotted ? CLONE_FILES : 0), &child);
    failure = pid < 0 ? errno : 0;
    raw_sigmask(SIG_SETMASK, &old, NULL);
    if (slotted) take_back();
    if (!(pid > 0 && child.unshare_failed)) break;
    /* Never exec'd, never ours: reap it and spawn again the plain way, from now on. */
    waitpid(pid, NULL, 0);
    drop_slots();
  }
  if (pid > 0 && child.err != 0) {
    /* It could not exec: it has exited 127 already; take its status here, it was never ours. */
    failure = child.err;
    waitpid(pid, NULL, 0);
  }
  if (failure != 0) {
    stage = "spawn";
    goto done;
  }
  int pidfd = track_exit(pid);
  if (set_add(&live, pid, pidfd) != 0) {
    /* Cannot track it: it would never be reported. Kill and reap it now rather than leak it. */
    if (pidfd >= 0) close(pidfd);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    failure = ENOMEM;
    stage = "track";
    goto done;
  }
  if (pidfd < 0) untracked++;

  /* JS writes the child's stdin without a stream until the pipe is full (stdin-pipe.ts): the
   * daemon's end must never block. The child's end is another open file, still blocking. */
  if (in[1] >= 0) fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);

  napi_value values[4];
  int fds[4] = {pid, in[1], out[0], err[0]};
  napi_create_array_with_length(env, 4, &result);
  for (int i = 0; i < 4; i++) {
    napi_create_int32(env, fds[i], &values[i]);
    napi_set_element(env, result, i, values[i]);
  }
  in[1] = out[0] = err[0] = -1; /* now owned by JS */

done:
  close_fd(&in[0]);
  close_fd(&in[1]);
  close_fd(&out[0]);
  close_fd(&out[1]);
  close_fd(&err[0]);
  close_fd(&err[1]);
  free(file);
  free(cwd);
  free_strv(argv);
  free_strv(envp);
  if (failure != 0) return throw_errno(env, failure, stage);
  return result;
}

/* ---- reap ---- */

#define EXIT_CORE_DUMPED 1
#define EXIT_UNKNOWN_CHILD 2

static void push_exit(napi_env env, napi_value out, uint32_t *n, pid_t pid, int status, int flags) {
  int values[4] = {
      pid,
      WIFEXITED(status) ? WEXITSTATUS(status) : -1,
      WIFSIGNALED(status) ? WTERMSIG(status) : 0,
      flags | (WIFSIGNALED(status) && WCOREDUMP(status) ? EXIT_CORE_DUMPED : 0),
  };
  for (int i = 0; i < 4; i++) {
    napi_value v;
    napi_create_int32(env, values[i], &v);
    napi_set_element(env, out, (*n)++, v);
  }
}

/* Reaps one child; 1 when it had ended. */
static int reap_pid(napi_env env, napi_value out, uint32_t *n, pid_t pid, int flags) {
  int status;
  pid_t got;
  do got = waitpid(pid, &status, WNOHANG);
  while (got < 0 && errno == EINTR);
  if (got == pid) {
    forget_child(pid);
    push_exit(env, out, n, pid, status, flags);
    return 1;
  }
  if (got < 0 && errno == ECHILD && !flags) {
    /* Someone else reaped it (should not happen): report it as gone, status unknown. */
    forget_child(pid);
    push_exit(env, out, n, pid, 0, 0);
    return 1;
  }
  return 0;
}

/* Reaps the children whose pidfd reports that they ended. */
static void reap_tracked(napi_env env, napi_value out, uint32_t *n) {
  if (reap_epfd < 0) return;
  struct epoll_event ev[64];
  /* Bounded: every round reaps what it is told about, so live.len / 64 + 1 rounds are enough. */
  for (size_t rounds = live.len / 64 + 2; rounds > 0; rounds--) {
    int k = epoll_wait(reap_epfd, ev, 64, 0);
    if (k < 0 && errno == EINTR) continue;
    for (int i = 0; i < k; i++) reap_pid(env, out, n, (pid_t)(uint32_t)ev[i].data.u64, 0);
    if (k < 64) return;
  }
}

static napi_value Reap(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  uint32_t n = 0;
  napi_create_array(env, &out);
  reap_tracked(env, out, &n);
  /* The walk, only for what pidfds cannot tell: children without one, and orphans we did not
   * spawn (reap_unknown). Ask the kernel for an ended child without reaping it, and reap that one.
   * A zombie of node:child_process (exempt) is left to libuv: then fall back to checking each of ours. */
  bool scan = false;
  while (untracked > 0 || reap_unknown) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0) {
      if (errno == EINTR) continue;
      break; /* ECHILD: no children at all */
    }
    if (si.si_pid == 0) break;
    if (set_has(&live, si.si_pid)) {
      reap_pid(env, out, &n, si.si_pid, 0);
    } else if (reap_unknown && !set_has(&exempt, si.si_pid)) {
      if (!reap_pid(env, out, &n, si.si_pid, EXIT_UNKNOWN_CHILD)) break;
    } else {
      scan = true;
      break;
    }
  }
  if (scan) {
    for (size_t i = live.len; i-- > 0;) reap_pid(env, out, &n, live.v[i], 0);
  }
  return out;
}

static napi_value ReapInfo(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, v;
  napi_create_array_with_length(env, 2, &out);
  napi_create_uint32(env, (uint32_t)live.len, &v);
  napi_set_element(env, out, 0, v);
  napi_create_uint32(env, (uint32_t)untracked, &v);
  napi_set_element(env, out, 1, v);
  return out;
}

static napi_value SetReapUnknown(napi_env env, napi_callback_info info) {
  napi_value arg;
  get_args(env, info, 1, &arg);
  int subreaper = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, &subreaper) != 0) subreaper = 0;
  reap_unknown = bool_arg(env, arg) && (getpid() == 1 || subreaper != 0);
  return NULL;
}

/* exempt(pid, true|false): a child of node:child_process that reap() must not take from libuv. */
static napi_value Exempt(napi_env env, napi_callback_info info) {
  napi_value args[2];
  get_args(env, info, 2, args);
  int32_t pid = int32_arg(env, args[0]);
  if (bool_arg(env, args[1])) set_add(&exempt, pid, -1);
  else set_remove(&exempt, pid);
  return NULL;
}

/* listen(fd, backlog) -> 0 or -errno: the fcgi socket listens in the daemon, as supervisord's
 * does, without libuv ever polling it (no accept races with the children). */
static napi_value Listen(napi_env env, napi_callback_info info) {
  napi_value args[2], result;
  get_args(env, info, 2, args);
  napi_create_int32(env, listen(int32_arg(env, args[0]), int32_arg(env, args[1])) == 0 ? 0 : -errno, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"spawn", NULL, Spawn, NULL, NULL, NULL, napi_default, NULL},
      {"reap", NULL, Reap, NULL, NULL, NULL, napi_default, NULL},
      {"setReapUnknown", NULL, SetReapUnknown, NULL, NULL, NULL, napi_default, NULL},
      {"reapInfo", NULL, ReapInfo, NULL, NULL, NULL, napi_default, NULL},
      {"exempt", NULL, Exempt, NULL, NULL, NULL, napi_default, NULL},
      {"listen", NULL, Listen, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  output_register(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
