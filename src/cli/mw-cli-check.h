/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* `mig-wizard-cli check …`: argv[0] is "check". Returns the process exit status. */
int mw_cli_check (int argc, char **argv);
