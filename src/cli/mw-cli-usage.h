/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-usage.h: how every command of mig-wizard-cli says it was called wrongly. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit status for bad input, every command. */
#define MW_CLI_EXIT_BAD_INPUT 2

/* Prints "mig-wizard-cli: MESSAGE" and "Try “PRGNAME --help” for the options." (the program
 * name is the command's, "mig-wizard-cli setup-pool") to stderr; returns MW_CLI_EXIT_BAD_INPUT. */
int mw_cli_usage_error (const char *message);

G_END_DECLS
