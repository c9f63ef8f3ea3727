/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* `mig-wizard-cli setup-pool …` and `setup-bridge …`: argv[0] is the command. Return the
 * process exit status. */
int mw_cli_setup_pool   (int argc, char **argv);
int mw_cli_setup_bridge (int argc, char **argv);
