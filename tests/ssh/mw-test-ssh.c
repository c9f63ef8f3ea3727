/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-ssh.c: what the ssh test programs share (mw-test-ssh.h). */
#include "config.h"

#include "mw-test-ssh.h"

char *
make_key (const char *dir,
          const char *name,
          const char *type)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test key", "-f",
                         path, NULL };
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strconcat (path, ".pub", NULL);
}
