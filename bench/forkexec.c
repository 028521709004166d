/* The machine's fork+exec floor: fork + execv("/bin/true") + waitpid, N times; prints ms per spawn. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  char *args[] = {"/bin/true", NULL};
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) { execv(args[0], args); _exit(127); }
    int status;
    if (waitpid(pid, &status, 0) < 0) { perror("waitpid"); return 1; }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  printf("%.4f\n", ms / n);
  return 0;
}
