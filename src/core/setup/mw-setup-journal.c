/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-journal.c: set-up steps with undo. Worker threads; a journal is used by one thread at
 * a time. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-setup-journal.h"

G_DEFINE_QUARK (mw-setup-error-quark, mw_setup_error)

typedef struct
{
  MwSetupStep *step;         /* also in self->steps */
  gboolean changed;
  MwSetupUndoFunc undo;
  gpointer data;
  GDestroyNotify destroy;
} Entry;

struct _MwSetupJournal
{
  char *host;
  GPtrArray *steps;          /* MwSetupStep */
  GPtrArray *entries;        /* Entry, same order */
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  if (entry->destroy != NULL && entry->data != NULL)
    entry->destroy (entry->data);
  g_free (entry);
}

MwSetupStep *
mw_setup_step_copy (const MwSetupStep *step)
{
  MwSetupStep *copy = g_new0 (MwSetupStep, 1);

  copy->host = g_strdup (step->host);
  copy->title = g_strdup (step->title);
  copy->state = step->state;
  copy->message = g_strdup (step->message);
  return copy;
}

void
mw_setup_step_free (MwSetupStep *step)
{
  if (step == NULL)
    return;
  g_free (step->host);
  g_free (step->title);
  g_free (step->message);
  g_free (step);
}

const char *
mw_setup_step_state_to_string (MwSetupStepState state)
{
  switch (state)
    {
    case MW_SETUP_STEP_DONE:
      return _("done");
    case MW_SETUP_STEP_UNCHANGED:
      return _("nothing to change");
    case MW_SETUP_STEP_FAILED:
      return _("failed");
    case MW_SETUP_STEP_UNDONE:
      return _("undone");
    case MW_SETUP_STEP_UNDO_FAILED:
      return _("could not be undone");
    default:
      return "?";
    }
}

char *
mw_setup_step_to_string (const MwSetupStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);

  if (step->message != NULL)
    return g_strdup_printf ("%s: %s — %s: %s", step->host, step->title,
                            mw_setup_step_state_to_string (step->state), step->message);
  return g_strdup_printf ("%s: %s — %s", step->host, step->title,
                          mw_setup_step_state_to_string (step->state));
}

MwSetupJournal *
mw_setup_journal_new (const char *host)
{
  MwSetupJournal *self = g_new0 (MwSetupJournal, 1);

  g_return_val_if_fail (host != NULL, NULL);

  self->host = g_strdup (host);
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_setup_step_free);
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  return self;
}

void
mw_setup_journal_free (MwSetupJournal *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->steps);
  g_free (self->host);
  g_free (self);
}

GPtrArray *
mw_setup_journal_get_steps (MwSetupJournal *self)
{
  return self->steps;
}

GPtrArray *
mw_setup_journal_dup_steps (MwSetupJournal *self)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_setup_step_free);

  for (guint i = 0; i < self->steps->len; i++)
    g_ptr_array_add (copy, mw_setup_step_copy (g_ptr_array_index (self->steps, i)));
  return copy;
}

void
mw_setup_journal_rollback (MwSetupJournal *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = self->entries->len; i > 0; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, i - 1);
      g_autoptr(GError) error = NULL;

      if (!entry->changed || entry->step->state != MW_SETUP_STEP_DONE)
        continue;
      if (entry->undo == NULL)
        {
          entry->step->state = MW_SETUP_STEP_UNDO_FAILED;
          g_free (entry->step->message);
          entry->step->message = g_strdup (_("this step cannot be undone"));
          continue;
        }
      if (entry->undo (entry->data, &error))
        entry->step->state = MW_SETUP_STEP_UNDONE;
      else
        {
          entry->step->state = MW_SETUP_STEP_UNDO_FAILED;
          g_free (entry->step->message);
          entry->step->message = g_strdup (error->message);
        }
    }
}

void
mw_setup_set_error (GError     **error,
                    int          code,
                    const char  *host,
                    const char  *step,
                    const char  *cause)
{
  g_set_error (error, MW_SETUP_ERROR, code, "%s: %s: %s", host, step, cause);
}

gboolean
mw_setup_journal_run (MwSetupJournal       *self,
                      const MwSetupAction  *action,
                      gpointer              data,
                      GDestroyNotify        destroy,
                      GCancellable         *cancellable,
                      GError              **error)
{
  Entry *entry = g_new0 (Entry, 1);
  g_autoptr(GError) local_error = NULL;
  char *note = NULL;
  char *message = NULL;
  MwSetupStepState state;
  gboolean ran = FALSE;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (action != NULL && action->title != NULL && action->run != NULL, FALSE);

  entry->step = g_new0 (MwSetupStep, 1);
  entry->step->host = g_strdup (self->host);
  entry->step->title = g_strdup (_(action->title));
  entry->undo = action->undo;
  entry->data = data;
  entry->destroy = destroy;
  g_ptr_array_add (self->steps, entry->step);
  g_ptr_array_add (self->entries, entry);

  /* The step runs to its end before it is recorded: a stopped remote command has been killed on
   * the host and waited for (mw-setup-host.h), so nothing of a step marked failed still runs. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    ok = FALSE;
  else
    {
      ran = TRUE;
      ok = action->run (data, &entry->changed, &note, cancellable, &local_error);
    }

  if (ok)
    {
      entry->step->message = note;
      entry->step->state = entry->changed ? MW_SETUP_STEP_DONE : MW_SETUP_STEP_UNCHANGED;
      return TRUE;
    }

  g_assert (local_error != NULL);
  g_free (note);
  entry->changed = FALSE;     /* a failed step cleans up after itself */
  state = MW_SETUP_STEP_FAILED;
  message = g_strdup (local_error->message);
  if (ran && entry->undo != NULL
      && (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (local_error, MW_SETUP_ERROR, MW_SETUP_ERROR_TIMED_OUT)))
    {
      /* Stopped half-way: it may have changed the host, so its undo runs now that nothing of it
       * runs any more, and only then is it recorded. */
      g_autoptr(GError) undo_error = NULL;

      if (!entry->undo (entry->data, &undo_error))
        {
          state = MW_SETUP_STEP_UNDO_FAILED;
          g_free (message);
          message = g_strdup (undo_error->message);
        }
    }
  entry->step->message = message;
  entry->step->state = state;
  mw_setup_journal_rollback (self);

  mw_setup_set_error (error,
                      local_error->domain == MW_SETUP_ERROR ? local_error->code
                                                            : MW_SETUP_ERROR_FAILED,
                      self->host, entry->step->title, local_error->message);
  return FALSE;
}

gboolean
mw_setup_journal_run_all (MwSetupJournal       *self,
                          const MwSetupAction  *actions,
                          guint                 n_actions,
                          gpointer              data,
                          GDestroyNotify        destroy,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_return_val_if_fail (n_actions > 0, FALSE);

  /* The first step takes data; the later ones borrow it (the journal keeps it to the end). */
  for (guint i = 0; i < n_actions; i++)
    if (!mw_setup_journal_run (self, &actions[i], data, i == 0 ? destroy : NULL, cancellable,
                               error))
      return FALSE;
  return TRUE;
}
