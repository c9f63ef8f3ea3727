/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-journal.h: the steps of a host set-up, and undoing them when one fails.
 *
 * A journal belongs to one host and one worker thread. Each step runs a function that says
 * whether it changed anything; changed steps remember how to undo themselves. When a step fails,
 * every changed step is undone in reverse order, so the host is left as it was, and the error
 * names the host and the step: "hostb: start the pool: mount: unknown filesystem type 'nfs'".
 * The recorded steps (title, state, message) are what the UI lists.
 *
 * Also here: running one remote command over ssh (GSubprocess argv, BatchMode), shared by the
 * storage and the bridge set-up.
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

typedef struct _MwSetupJournal MwSetupJournal;

GQuark           mw_setup_error_quark        (void);

MwSetupJournal  *mw_setup_journal_new        (const char      *host);
void             mw_setup_journal_free       (MwSetupJournal  *self);

/* Runs one step. data belongs to the journal from now on (destroy may be NULL) and lives until
 * the journal is freed, so undo can use it. On failure, undoes every changed step (newest
 * first) and returns FALSE with "host: title: cause" (MW_SETUP_ERROR_FAILED unless the step set
 * another MW_SETUP_ERROR code). undo may be NULL for steps that cannot change anything. */
gboolean         mw_setup_journal_run        (MwSetupJournal  *self,
                                              const char      *title,
                                              MwSetupDoFunc    run,
                                              MwSetupUndoFunc  undo,
                                              gpointer         data,
                                              GDestroyNotify   destroy,
                                              GCancellable    *cancellable,
                                              GError         **error);
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

/* Blocking, worker thread: `ssh -o BatchMode=yes -o ConnectTimeout=10 target remote_command`.
 * target is "user@host" or "host"; remote_command is one shell string, built by the caller with
 * mw_shell_quote. $MW_SSH replaces "ssh" (tests). On a non-zero exit the error carries the
 * command's stderr (or stdout) trimmed. stdout_text may be NULL. */
gboolean         mw_setup_ssh_run            (const char      *target,
                                              const char      *remote_command,
                                              GCancellable    *cancellable,
                                              char           **stdout_text,
                                              GError         **error);

/* The first element called `element` anywhere in xml, its attribute `attribute` (NULL when
 * absent); *found (may be NULL) says whether the element exists. For what libvirt-gconfig 4.0
 * cannot read: <interface type>, <forward mode>, <bridge name>, a pool's <dir path>. */
char            *mw_setup_xml_find_attribute (const char      *xml,
                                              const char      *element,
                                              const char      *attribute,
                                              gboolean        *found);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSetupJournal, mw_setup_journal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSetupStep, mw_setup_step_free)

G_END_DECLS
