/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>

#include "mw-cli-check.h"

int
mw_cli_check (int argc, char **argv)
{
  g_printerr ("mig-wizard-cli check: not available yet\n");
  return 2;
}
