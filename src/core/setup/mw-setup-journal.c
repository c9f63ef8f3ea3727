/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-journal.c: set-up steps with undo, and one ssh command. Worker threads; a journal is
 * used by one thread at a time. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-process.h"
#include "mw-setup-journal.h"
#include "mw-ssh.h"

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

gboolean
mw_setup_journal_run (MwSetupJournal  *self,
                      const char      *title,
                      MwSetupDoFunc    run,
                      MwSetupUndoFunc  undo,
                      gpointer         data,
                      GDestroyNotify   destroy,
                      GCancellable    *cancellable,
                      GError         **error)
{
  Entry *entry = g_new0 (Entry, 1);
  g_autoptr(GError) local_error = NULL;
  char *note = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (title != NULL && run != NULL, FALSE);

  entry->step = g_new0 (MwSetupStep, 1);
  entry->step->host = g_strdup (self->host);
  entry->step->title = g_strdup (title);
  entry->undo = undo;
  entry->data = data;
  entry->destroy = destroy;
  g_ptr_array_add (self->steps, entry->step);
  g_ptr_array_add (self->entries, entry);

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    ok = FALSE;
  else
    ok = run (data, &entry->changed, &note, cancellable, &local_error);

  entry->step->message = note;
  if (ok)
    {
      entry->step->state = entry->changed ? MW_SETUP_STEP_DONE : MW_SETUP_STEP_UNCHANGED;
      return TRUE;
    }

  g_assert (local_error != NULL);
  entry->changed = FALSE;     /* a failed step cleans up after itself */
  entry->step->state = MW_SETUP_STEP_FAILED;
  g_free (entry->step->message);
  entry->step->message = g_strdup (local_error->message);
  mw_setup_journal_rollback (self);

  g_set_error (error, MW_SETUP_ERROR,
               local_error->domain == MW_SETUP_ERROR ? local_error->code : MW_SETUP_ERROR_FAILED,
               "%s: %s: %s", self->host, title, local_error->message);
  return FALSE;
}

/* Small XML reading: the first element called `element` anywhere, its attribute `attribute`.
 * For what libvirt-gconfig 4.0 has no (working) getters for. */

typedef struct
{
  const char *element;
  const char *attribute;
  char *value;
  gboolean found;
} AttrSearch;

static void
attr_search_start (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **names,
                   const char          **values,
                   gpointer              user_data,
                   GError              **error)
{
  AttrSearch *search = user_data;

  if (search->found || !g_str_equal (element_name, search->element))
    return;
  search->found = TRUE;
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], search->attribute))
      search->value = g_strdup (values[i]);
}

char *
mw_setup_xml_find_attribute (const char *xml,
                    const char *element,
                    const char *attribute,
                    gboolean   *found)
{
  static const GMarkupParser parser = { attr_search_start, NULL, NULL, NULL, NULL };
  AttrSearch search = { element, attribute, NULL, FALSE };
  GMarkupParseContext *context;

  if (xml == NULL)
    return NULL;
  context = g_markup_parse_context_new (&parser, 0, &search, NULL);
  g_markup_parse_context_parse (context, xml, -1, NULL);
  g_markup_parse_context_free (context);
  if (found != NULL)
    *found = search.found;
  return search.value;
}

/* ssh */

/* Installing an NFS server over a slow link takes minutes; a step that hangs must end. */
#define SETUP_STEP_TIMEOUT_S 900

gboolean
mw_setup_ssh_run (const char    *target,
                  const char    *remote_command,
                  GCancellable  *cancellable,
                  char         **stdout_text,
                  GError       **error)
{
  static const char * const quiet[] = { "-oLogLevel=ERROR", NULL };
  g_autoptr(MwSshTarget) parsed = NULL;
  g_auto(GStrv) argv = NULL;
  MwProcessSpec spec = { NULL, NULL, NULL, SETUP_STEP_TIMEOUT_S };
  MwProcessResult result;
  gboolean ok;

  g_return_val_if_fail (target != NULL && *target != '\0' && *target != '-', FALSE);
  g_return_val_if_fail (remote_command != NULL, FALSE);

  /* user@host[:port]: the port goes to -p, the key must be known (mw_ssh_build_argv). */
  parsed = mw_ssh_target_parse (target, error);
  if (parsed == NULL)
    return FALSE;
  argv = mw_ssh_build_argv (NULL, parsed, quiet, remote_command);
  spec.argv = (const char * const *) argv;

  /* A cancel kills ssh and waits for it (mw-process.h), so the journal never records as not
   * done a step whose ssh still runs. */
  if (!mw_process_run (&spec, cancellable, &result, error))
    return FALSE;

  ok = !result.timed_out && result.status == 0;
  if (!ok)
    {
      const char *text = *g_strstrip (result.err) != '\0' ? result.err : g_strstrip (result.out);

      if (result.timed_out)
        g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                     _("the command did not finish within %d s"), SETUP_STEP_TIMEOUT_S);
      else if (*text == '\0')
        g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                     _("the command failed with exit status %d"), result.status);
      else
        g_set_error_literal (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, text);
    }
  else if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&result.out);
  mw_process_result_clear (&result);
  return ok;
}
