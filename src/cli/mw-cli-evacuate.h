/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* `mig-wizard-cli evacuate …` and `mig-wizard-cli bring-back …`: argv[0] is the command.
 * Return the process exit status. */
int mw_cli_evacuate   (int argc, char **argv);
int mw_cli_bring_back (int argc, char **argv);
