/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-evacuate-args.h: `mig-wizard-cli evacuate` and `bring-back`: their options, as parsed,
 * and what they stand for. No I/O, so tests/cli checks every option and every bad input. */
#pragma once

#include <glib.h>

#include "mw-cli-args.h"
#include "mw-evacuation-plan.h"

G_BEGIN_DECLS

typedef struct
{
  char *from;
  char *to;                   /* URI[,URI…] */
  int parallel;
  int bandwidth;
  char *order;
  char **priorities;          /* NAME=N, each */
  char **addresses;           /* NAME=ADDR, each */
  char *cannot_move;
  char **actions;             /* NAME=ACTION, each */
  gboolean stop_on_failure;
  gboolean dry_run;
  char *report;               /* evacuate: where to write it; bring-back: the one to read */
  gboolean ping;
  gboolean bring_back;        /* the `bring-back` command: only --report and the run options */

  /* What they stand for, after mw_cli_evacuate_args_check () */
  GStrv destinations;
  MwEvacuationOrder order_value;
  MwEvacuationAction cannot_move_value;
  GHashTable *priority_values;  /* name → GINT_TO_POINTER (priority) */
  GHashTable *address_values;   /* name → address */
  GHashTable *action_values;    /* name → GINT_TO_POINTER (MwEvacuationAction) */
} MwCliEvacuateArgs;

/* parallel 1, everything else off; bring_back selects the `bring-back` table. */
void            mw_cli_evacuate_args_init        (MwCliEvacuateArgs       *args,
                                                  gboolean                 bring_back);
void            mw_cli_evacuate_args_clear       (MwCliEvacuateArgs       *args);
/* The option context; its entries write into args, which must outlive it. */
GOptionContext *mw_cli_evacuate_args_context_new (MwCliEvacuateArgs       *args);
/* Checks what was parsed (n_rest: words left after the options, the command's name included)
 * and fills in the values; FALSE with one plain sentence (G_OPTION_ERROR_BAD_VALUE or
 * G_OPTION_ERROR_FAILED) naming the option that is wrong. */
gboolean        mw_cli_evacuate_args_check       (MwCliEvacuateArgs       *args,
                                                  int                      n_rest,
                                                  GError                 **error);
/* The word --action and --cannot-move use for action: "migrate", "shutdown", "managed-save",
 * "leave" ("start" for a bring-back's). */
const char     *mw_cli_evacuate_action_word      (MwEvacuationAction       action);
/* Applies order, priorities, addresses, the actions chosen per guest and the cannot-move
 * action to a plan before it runs. */
void            mw_cli_evacuate_args_apply       (const MwCliEvacuateArgs *args,
                                                  MwEvacuationPlan        *plan);

G_END_DECLS
