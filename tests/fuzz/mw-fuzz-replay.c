/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-fuzz-replay.c: runs a fuzz target over corpus directories without libFuzzer, one TAP line
 * per file, so the committed corpus (seeds and every input that once crashed) is a plain unit
 * test with any compiler. Usage: fuzz-replay-TARGET DIR... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mw-fuzz.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  int dirs = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (g_str_equal (argv[i], "--tap"))
        continue;
      dir = g_dir_open (argv[i], 0, &error);
      if (dir == NULL)
        {
          printf ("Bail out! %s\n", error->message);
          return 1;
        }
      dirs++;
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (files, g_build_filename (argv[i], name, NULL));
    }
  if (dirs == 0 || files->len == 0)
    {
      printf ("Bail out! no corpus files given\n");
      return 1;
    }
  g_ptr_array_sort (files, compare_paths);

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *base = g_path_get_basename (path);
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, path, error->message);
          continue;
        }
      /* A broken invariant aborts here, after this line names the file. */
      printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      printf ("ok %u - %s\n", i + 1, base);
    }
  return 0;
}
