/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-journal.h: the steps of a host set-up, and undoing them when one fails.
 *
 * A journal belongs to one host and one worker thread. Each step runs a function that says
 * whether it changed anything; changed steps remember how to undo themselves. When a step fails,
 * every changed step is undone in reverse order, so the host is left as it was, and the error
 * names the host and the step: "hostb: start the pool: mount: unknown filesystem type 'nfs'".
 * The recorded steps (title, state, message) are what the UI lists.
 *
 * A set-up describes its steps as a table of MwSetupAction and runs them on its own data.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MW_SETUP_ERROR (mw_setup_error_quark ())

typedef enum
{
  MW_SETUP_ERROR_INVALID,    /* the plan itself is wrong (a relative path, a bad name) */
  MW_SETUP_ERROR_CONFLICT,   /* something with that name exists and differs: reported, kept */
  MW_SETUP_ERROR_FAILED,     /* a step failed on a host */
  MW_SETUP_ERROR_NOT_FOUND,  /* a check after a step did not find what it should */
  MW_SETUP_ERROR_TIMED_OUT,  /* a step ran too long and was stopped */
} MwSetupError;

typedef enum
{
  MW_SETUP_STEP_DONE,        /* ran and changed the host */
  MW_SETUP_STEP_UNCHANGED,   /* ran; the host already was that way */
  MW_SETUP_STEP_FAILED,
  MW_SETUP_STEP_UNDONE,      /* was done, then undone after a later failure */
  MW_SETUP_STEP_UNDO_FAILED, /* could not be undone: the message says what is left */
} MwSetupStepState;

typedef struct
{
  char *host;
  char *title;               /* "define the pool", lower case: it follows "host: " */
  MwSetupStepState state;
  char *message;             /* the failure, the undo failure or an informative note; NULL */
} MwSetupStep;

/* A step: returns FALSE with error on failure; sets *changed when it altered the host. */
typedef gboolean (*MwSetupDoFunc)   (gpointer       data,
                                     gboolean      *changed,
                                     char         **note,
                                     GCancellable  *cancellable,
                                     GError       **error);
typedef gboolean (*MwSetupUndoFunc) (gpointer       data,
                                     GError       **error);

/* What a step does. The title is lower case, as it follows "host: ", and marked with the N_
 * macro: the journal translates it when it records the step. */
typedef struct
{
  const char *title;
  MwSetupDoFunc run;
  MwSetupUndoFunc undo;      /* NULL for a step that cannot change anything */
} MwSetupAction;

typedef struct _MwSetupJournal MwSetupJournal;

GQuark           mw_setup_error_quark        (void);

MwSetupJournal  *mw_setup_journal_new        (const char      *host);
void             mw_setup_journal_free       (MwSetupJournal  *self);

/* Runs one step. data belongs to the journal from now on (destroy may be NULL) and lives until
 * the journal is freed, so undo can use it. On failure, undoes every changed step (newest
 * first) and returns FALSE with "host: title: cause" (MW_SETUP_ERROR_FAILED unless the step set
 * another MW_SETUP_ERROR code). A step stopped half-way (G_IO_ERROR_CANCELLED or
 * MW_SETUP_ERROR_TIMED_OUT; its run returns only once nothing of it runs) may have changed the
 * host: its own undo runs first, then it is recorded as failed (or as could not be undone), so
 * undo functions must cope with a step that did only part of its work, or none. */
gboolean         mw_setup_journal_run        (MwSetupJournal      *self,
                                              const MwSetupAction *action,
                                              gpointer             data,
                                              GDestroyNotify       destroy,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* Runs the actions in order on the same data, as above, up to the first that fails. */
gboolean         mw_setup_journal_run_all    (MwSetupJournal      *self,
                                              const MwSetupAction *actions,
                                              guint                n_actions,
                                              gpointer             data,
                                              GDestroyNotify       destroy,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* Undoes every changed step now (newest first), e.g. after a cross-host verify failed. */
void             mw_setup_journal_rollback   (MwSetupJournal  *self);

/* MwSetupStep, in order; owned by the journal. */
GPtrArray       *mw_setup_journal_get_steps  (MwSetupJournal  *self);
/* A copy of the steps that outlives the journal (free with g_ptr_array_unref). */
GPtrArray       *mw_setup_journal_dup_steps  (MwSetupJournal  *self);

MwSetupStep     *mw_setup_step_copy          (const MwSetupStep *step);
void             mw_setup_step_free          (MwSetupStep       *step);
const char      *mw_setup_step_state_to_string (MwSetupStepState state);
/* "hostb: start the pool — failed: …" for logs and the CLI. */
char            *mw_setup_step_to_string     (const MwSetupStep *step);

/* Sets error to "host: step: cause", the form of every set-up failure. */
void             mw_setup_set_error          (GError         **error,
                                              int              code,
                                              const char      *host,
                                              const char      *step,
                                              const char      *cause);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSetupJournal, mw_setup_journal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSetupStep, mw_setup_step_free)

G_END_DECLS
