/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dirtier: writes N MiB/s of memory (one byte per 4 KiB page, so every page written is dirty)
 * over a 128 MiB buffer, in 10 ms slices. Status in /run/dirtier.status once a second. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define BUF_MIB 128
#define PAGE 4096

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
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

  if (rate <= 0)
    return 0;
  buf = mmap (NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (buf == MAP_FAILED)
    return 1;
  start = last_report = prev = now_s ();
  for (;;)
    {
      struct timespec slice = { 0, 10 * 1000 * 1000 };
      double t = now_s ();

      debt += (t - prev) * rate * (1024.0 * 1024.0 / PAGE);
      prev = t;
      while (debt >= 1)
        {
          buf[next * PAGE] = stamp;
          if (++next == pages)
            {
              next = 0;
              stamp++;
            }
          debt -= 1;
          pages_done += 1;
        }
      if (t - last_report >= 1)
        {
          FILE *f = fopen ("/run/dirtier.status", "w");

          if (f)
            {
              fprintf (f, "running rate=%ld written_mib=%.0f avg_mib_s=%.1f\n", rate,
                       pages_done * PAGE / 1048576.0,
                       pages_done * PAGE / 1048576.0 / (t - start));
              fclose (f);
            }
          last_report = t;
        }
      nanosleep (&slice, NULL);
    }
}
