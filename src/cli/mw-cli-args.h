/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-args.h: what every mig-wizard-cli command does with its arguments, once: the checks
 * before GOption sees them, the parse, and the checks of the values most commands take (URIs,
 * domain names, NAME=VALUE pairs). No I/O, so tests/cli checks them. */
#pragma once

#include <glib.h>

#include "mw-migration-options.h"

G_BEGIN_DECLS

/* Sets a G_OPTION_ERROR_BAD_VALUE with message (one plain sentence naming the option); FALSE. */
gboolean            mw_cli_bad_value                (GError                **error,
                                                     const char             *message);

/* mw_cli_check_args, then g_option_context_parse, then mw_cli_drop_separator: FALSE with the
 * message to print when an argument or an option is wrong. */
gboolean            mw_cli_parse_options            (GOptionContext         *context,
                                                     int                    *argc,
                                                     char                 ***argv,
                                                     GError                **error);

/* "NAME=VALUE" given to option: *name (newly allocated) and *value (inside text) split at the
 * last '=', with neither empty; else FALSE with "OPTION takes FORMAT, not “TEXT”.". */
gboolean            mw_cli_split_assignment         (const char             *option,
                                                     const char             *format,
                                                     const char             *text,
                                                     char                  **name,
                                                     const char            **value,
                                                     GError                **error);

/* Longest argument any command takes, in bytes. */
#define MW_CLI_MAX_ARG 4096

/* Before GOption sees them: every argument valid UTF-8 and at most MW_CLI_MAX_ARG bytes long
 * (GOption's own messages would not name the option, or would repeat 64 KiB back). The message
 * names the option or the argument's position. */
gboolean            mw_cli_check_args               (int                     argc,
                                                     char                  **argv,
                                                     GError                **error);
/* After GOption: drops the "--" it leaves before an argument that starts with '-'. */
void                mw_cli_drop_separator           (int                    *argc,
                                                     char                  **argv);

/* Checks one URI option's value (option: "--from", "URI_A"…) with the app's own URI parser, so
 * every command refuses what the Add Connection dialog refuses, before any host is contacted.
 * The message names the option. */
gboolean            mw_cli_check_uri                (const char             *option,
                                                     const char             *uri,
                                                     GError                **error);
/* A domain name as libvirt takes it: not empty, valid UTF-8, no control characters. */
gboolean            mw_cli_check_domain             (const char             *name,
                                                     GError                **error);

/* ERROR from mw_migration_options_validate (OPTIONS) told in the command line's words: the
 * options to add or drop (--parallel N), not the wizard's ("turn parallel connections on").
 * Codes with no command-line wording are left as they are. */
void                mw_cli_name_option_error        (const MwMigrationOptions *options,
                                                     GError                 *error);

G_END_DECLS
