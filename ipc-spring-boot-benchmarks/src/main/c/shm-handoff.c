// Native baseline for transport: shm (issue 17, docs/benchmarks.md): the round trip of a
// 64-byte message between two processes through shared memory, the sleeper woken by
// (e) eventfd + poll(eventfd, socket) + read (shm layout version 1), (f) a futex on a word
// of the shared memory (version 2), (s) a process-shared POSIX semaphore. Prints mean,
// p50, p90, p99, p99.9 of round trips and the client's context switches per round trip.
//   gcc -O2 -o /tmp/shm-handoff shm-handoff.c && taskset -c 0 /tmp/shm-handoff f 200000
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdatomic.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <sys/resource.h>

struct shared {
  _Atomic uint32_t seq_req, seq_rep;      /* published sequence numbers */
  _Atomic uint32_t waits_req, waits_rep;  /* sleeper announcements */
  sem_t sem_req, sem_rep;
  char req[64], rep[64];
};
static struct shared *sh;
static int efd_req, efd_rep, sk[2];
static char mode;
static long n = 200000, warm = 50000;

static long fwait(_Atomic uint32_t *w, uint32_t v) { return syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0); }
static long fwake(_Atomic uint32_t *w) { return syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0); }

static void publish(_Atomic uint32_t *seq, _Atomic uint32_t *waits, int efd, sem_t *sem, uint32_t v) {
  if (mode == 's') { atomic_store(seq, v); sem_post(sem); return; }
  atomic_store(seq, v);                       /* seq_cst: store then load of waits (Dekker) */
  if (atomic_load(waits)) {
    if (mode == 'e') { uint64_t one = 1; write(efd, &one, 8); }
    else fwake(seq);
  }
}
static void await(_Atomic uint32_t *seq, _Atomic uint32_t *waits, int efd, int sockfd, sem_t *sem, uint32_t v) {
  if (mode == 's') { while (sem_wait(sem)) ; return; }
  while (atomic_load(seq) != v) {
    atomic_store(waits, 1);
    uint32_t cur = atomic_load(seq);
    if (cur != v) {
      if (mode == 'e') {
        struct pollfd p[2] = {{efd, POLLIN, 0}, {sockfd, POLLIN, 0}};
        poll(p, 2, 200);
        if (p[0].revents & POLLIN) { uint64_t x; read(efd, &x, 8); }
      } else fwait(seq, cur);
    }
    atomic_store(waits, 0);
  }
}
static int cmp(const void *a, const void *b) { long x = *(long *)a, y = *(long *)b; return x < y ? -1 : x > y; }
static long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000L + t.tv_nsec; }

int main(int argc, char **argv) {
  mode = argc > 1 ? argv[1][0] : 'e';
  if (argc > 2) n = atol(argv[2]);
  sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  sem_init(&sh->sem_req, 1, 0); sem_init(&sh->sem_rep, 1, 0);
  efd_req = eventfd(0, EFD_NONBLOCK); efd_rep = eventfd(0, EFD_NONBLOCK);
  socketpair(AF_UNIX, SOCK_STREAM, 0, sk);
  long total = n + warm;
  pid_t pid = fork();
  if (pid == 0) {
    for (uint32_t i = 1; i <= total; i++) {
      await(&sh->seq_req, &sh->waits_req, efd_req, sk[1], &sh->sem_req, i);
      memcpy(sh->rep, sh->req, 64);
      publish(&sh->seq_rep, &sh->waits_rep, efd_rep, &sh->sem_rep, i);
    }
    _exit(0);
  }
  long *lat = malloc(sizeof(long) * n);
  struct rusage r0, r1;
  char msg[64]; memset(msg, 'x', 64);
  for (uint32_t i = 1; i <= total; i++) {
    if (i == warm + 1) getrusage(RUSAGE_SELF, &r0);
    long t0 = now();
    memcpy(sh->req, msg, 64);
    publish(&sh->seq_req, &sh->waits_req, efd_req, &sh->sem_req, i);
    await(&sh->seq_rep, &sh->waits_rep, efd_rep, sk[0], &sh->sem_rep, i);
    memcpy(msg, sh->rep, 64);
    if (i > warm) lat[i - warm - 1] = now() - t0;
  }
  getrusage(RUSAGE_SELF, &r1);
  waitpid(pid, NULL, 0);
  qsort(lat, n, sizeof(long), cmp);
  double sum = 0; for (long i = 0; i < n; i++) sum += lat[i];
  printf("mode=%c n=%ld mean %.2f us p50 %.2f us p90 %.2f p99 %.2f us p99.9 %.2f us  p99/p50 %.2f  client vol cs/rt %.2f invol cs/rt %.3f\n",
         mode, n, sum / n / 1000, lat[n / 2] / 1000.0, lat[n * 9 / 10] / 1000.0, lat[n * 99 / 100] / 1000.0, lat[n * 999 / 1000] / 1000.0,
         (double)lat[n * 99 / 100] / lat[n / 2],
         (double)(r1.ru_nvcsw - r0.ru_nvcsw) / n, (double)(r1.ru_nivcsw - r0.ru_nivcsw) / n);
  return 0;
}
