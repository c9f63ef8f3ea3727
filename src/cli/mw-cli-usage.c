/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-usage.c: one wording for a command called wrongly. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-cli-usage.h"

int
mw_cli_usage_error (const char *message)
{
  g_printerr ("mig-wizard-cli: %s\n", message);
  g_printerr (_("Try “%s --help” for the options.\n"), g_get_prgname ());
  return MW_CLI_EXIT_BAD_INPUT;
}
