/*
 * The machine's floor for stop-all: start N `sleep 100000` children (each in its own session, as
 * the daemons do), let them settle, then time SIGTERM to each + reaping them all. Prints seconds.
 * Each kill(2) wakes a child that runs its whole exit, often on the sender's core, so this is
 * mostly the kernel's cost of ending N processes on this machine.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  pid_t *pids = malloc(sizeof(pid_t) * (size_t)n);
  if (!pids) return 1;
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
      setsid();
      execl("/bin/sleep", "sleep", "100000", (char *)NULL);
      _exit(127);
    }
    pids[i] = pid;
  }
  sleep(2);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < n; i++) kill(pids[i], SIGTERM);
  for (int i = 0; i < n; i++) {
    if (waitpid(-1, NULL, 0) < 0) { perror("waitpid"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.4f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
