/*
 * The machine's floor for stop-all: start N `sleep 100000` children (each in its own session, as
 * the daemons do), let them settle, then time SIGTERM to each + reaping them all. Prints seconds.
 * Each kill(2) wakes a child that runs its whole exit, often on the sender's core, so this is
 * mostly the kernel's cost of ending N processes on this machine. Second line: the seconds of CPU
 * all CPUs were busy meanwhile (/proc/stat ticks), i.e. what ending them costs the machine.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Busy ticks of all CPUs since boot: user..steal minus idle and iowait. */
static long long busy_ticks(void) {
  long long f[8] = {0};
  FILE *stat = fopen("/proc/stat", "r");
  if (!stat) return 0;
  int got = fscanf(stat, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]);
  fclose(stat);
  if (got != 8) return 0;
  return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
}

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
  long long busy0 = busy_ticks();
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < n; i++) kill(pids[i], SIGTERM);
  for (int i = 0; i < n; i++) {
    if (waitpid(-1, NULL, 0) < 0) { perror("waitpid"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long busy1 = busy_ticks();
  printf("%.4f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  printf("%.2f\n", (double)(busy1 - busy0) / (double)sysconf(_SC_CLK_TCK));
  return 0;
}
