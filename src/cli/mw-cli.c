/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>

#include "mw-cli-check.h"

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "check"))
    return mw_cli_check (argc - 1, argv + 1);
  g_printerr ("usage: mig-wizard-cli migrate|check …\n");
  return 2;
}
