/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dirtier: writes N MiB/s of memory (one byte per 4 KiB page, so every page written is dirty)
 * over a 128 MiB buffer, in 10 ms slices, and proves that no write was lost.
 *
 * Lap k writes the stamp k (mod 256) into every page in order. So at any moment every page
 * before the cursor holds the current stamp and every page from the cursor on holds the
 * previous one. A page that holds anything else lost a write: after a migration, that is a
 * dirty page the migration failed to send (the QEMU 7.2 TCG bug LAB.md describes).
 *   - Every write first checks the page it is about to overwrite ("stale" in the status).
 *   - SIGUSR1 checks the whole buffer at once and writes /run/dirtier.verify
 *     ("checked=PAGES stale=PAGES lap=K buf=ADDRESS"): cgi-bin/verify asks for it right after a migration.
 * Status in /run/dirtier.status once a second. DIRTIER_DIR replaces /run (the unit test runs it
 * on the build machine, where it corrupts a page through /proc/PID/mem to prove it is seen). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define BUF_MIB 128
#define PAGE 4096

static volatile sig_atomic_t verify_requested;

static void
on_usr1 (int sig)
{
  (void) sig;
  verify_requested = 1;
}

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* DIR/NAME, written to DIR/NAME.tmp and renamed, so a reader never sees half a line. */
static void
write_line (const char *dir,
            const char *name,
            const char *line)
{
  char path[512], tmp[520];
  FILE *f;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  snprintf (tmp, sizeof tmp, "%s.tmp", path);
  f = fopen (tmp, "w");
  if (f == NULL)
    return;
  fputs (line, f);
  if (fclose (f) == 0)
    rename (tmp, path);
}

int
main (int argc, char **argv)
{
  long rate = argc > 1 ? atol (argv[1]) : 16;
  size_t pages = (size_t) BUF_MIB * 1024 * 1024 / PAGE;
  unsigned char *buf;
  size_t next = 0;
  double start, last_report, pages_done = 0, debt = 0, prev;
  unsigned char stamp = 1;
  unsigned long laps = 0, stale_on_write = 0;
  char line[256];
  const char *dir = getenv ("DIRTIER_DIR") != NULL ? getenv ("DIRTIER_DIR") : "/run";

  if (rate <= 0)
    return 0;
  buf = mmap (NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buf == MAP_FAILED)
    return 1;
  signal (SIGUSR1, on_usr1);
  start = last_report = prev = now_s ();
  for (;;)
    {
      struct timespec slice = { 0, 10 * 1000 * 1000 };
      double t = now_s ();

      debt += (t - prev) * rate * (1024.0 * 1024.0 / PAGE);
      prev = t;
      while (debt >= 1)
        {
          if (buf[next * PAGE] != (unsigned char) (stamp - 1))
            stale_on_write++;
          buf[next * PAGE] = stamp;
          if (++next == pages)
            {
              next = 0;
              stamp++;
              laps++;
            }
          debt -= 1;
          pages_done += 1;
        }
      if (verify_requested)
        {
          unsigned long stale = 0;

          verify_requested = 0;
          for (size_t i = 0; i < pages; i++)
            if (buf[i * PAGE] != (unsigned char) (i < next ? stamp : stamp - 1))
              stale++;
          /* buf= lets a test find the buffer (the kernel may merge its mapping with another). */
          snprintf (line, sizeof line, "checked=%zu stale=%lu lap=%lu buf=%p\n", pages, stale,
                    laps, (void *) buf);
          write_line (dir, "dirtier.verify", line);
        }
      if (t - last_report >= 1)
        {
          snprintf (line, sizeof line,
                    "running rate=%ld written_mib=%.0f avg_mib_s=%.1f laps=%lu stale=%lu\n",
                    rate, pages_done * PAGE / 1048576.0,
                    pages_done * PAGE / 1048576.0 / (t - start), laps, stale_on_write);
          write_line (dir, "dirtier.status", line);
          last_report = t;
        }
      nanosleep (&slice, NULL);
    }
}
