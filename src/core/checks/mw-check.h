/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check.h: one pre-flight check and what it found, as the UI binds to it.
 *
 * A plain GObject, main thread only: MwPreflight sets the result when the check's worker
 * returns, and every property notifies so a row can bind to it. A check may explain a fix
 * (`fix`, often an exact command) and may be able to apply it itself (`can-fix`, with the
 * button's `fix-label`); MwPreflight runs such a fix and then the check again.
 */
#pragma once

#include <glib-object.h>

#include "mw-forecast.h"

G_BEGIN_DECLS

typedef enum
{
  MW_CHECK_STATE_PENDING,   /* not run yet */
  MW_CHECK_STATE_RUNNING,   /* running, or its fix is running */
  MW_CHECK_STATE_PASSED,
  MW_CHECK_STATE_WARNING,   /* the migration can go ahead, but read this */
  MW_CHECK_STATE_BLOCKING,  /* the migration would fail or do harm */
  MW_CHECK_STATE_ERROR,     /* the check itself could not run or answer in time */
} MwCheckState;

/* What a check's worker hands back: plain data, owned strings. */
typedef struct
{
  MwCheckState state;
  char *sentence;    /* one plain sentence */
  char *detail;      /* what was looked at, figures, names; may be NULL */
  char *fix;         /* how to fix it by hand (commands included); may be NULL */
  char *fix_label;   /* the button's label when MigWizard can apply the fix itself, else NULL */
  MwForecast *forecast; /* the forecast check's figures, else NULL (set after result_set) */
} MwCheckResult;

void          mw_check_result_clear     (MwCheckResult *result);
/* Replaces the whole result; fix and fix_label may be NULL. */
void          mw_check_result_set       (MwCheckResult *result,
                                         MwCheckState   state,
                                         const char    *sentence,
                                         const char    *detail,
                                         const char    *fix,
                                         const char    *fix_label);

#define MW_TYPE_CHECK (mw_check_get_type ())

G_DECLARE_FINAL_TYPE (MwCheck, mw_check, MW, CHECK, GObject)

MwCheck      *mw_check_new              (const char          *id,
                                         const char          *title);

const char   *mw_check_get_id           (MwCheck *self);
const char   *mw_check_get_title        (MwCheck *self);
MwCheckState  mw_check_get_state        (MwCheck *self);
const char   *mw_check_get_sentence     (MwCheck *self);
const char   *mw_check_get_detail       (MwCheck *self);
const char   *mw_check_get_fix          (MwCheck *self);
const char   *mw_check_get_fix_label    (MwCheck *self);
/* The forecast check's figures (mw-forecast.h), NULL for other checks or when none was made. */
const MwForecast *mw_check_get_forecast (MwCheck *self);
gboolean      mw_check_get_can_fix      (MwCheck *self);
/* PASSED, WARNING, BLOCKING or ERROR. */
gboolean      mw_check_is_done          (MwCheck *self);

/* For MwPreflight (and tests): set the state alone, or a whole result. Notify only what
 * changed. */
void          mw_check_set_state        (MwCheck             *self,
                                         MwCheckState         state);
void          mw_check_apply_result     (MwCheck             *self,
                                         const MwCheckResult *result);

/* "passed", "warning", "blocking"… for JSON and the command line. */
const char   *mw_check_state_to_nick    (MwCheckState state);

G_END_DECLS
