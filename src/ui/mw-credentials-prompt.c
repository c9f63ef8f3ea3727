/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-credentials-prompt.c: a question travels from a worker to the main thread and back.
 *
 * The question is shared by the waiting worker and the main thread (an atomic refcounted box,
 * so neither outlives the other's use): the worker owns the request it was given and only
 * copies answers out of the question once it is answered; the main thread only touches the
 * question's own copy, under its mutex, and never after it answered. The dialog answers
 * exactly once ("finished"), also when it is destroyed with its window, so the worker always
 * wakes up. A worker that asks with a current GCancellable (g_cancellable_push_current: a
 * connection's attempt does) has the question withdrawn when that is cancelled: the dialog
 * closes and the answer is no. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-credentials.h"
#include "mw-credentials-dialog.h"
#include "mw-credentials-prompt.h"

typedef struct
{
  GMutex mutex;
  GCond cond;
  GtkApplication *app;            /* borrowed: the process's */
  GCancellable *cancellable;      /* the asking worker's current one, or NULL */
  MwCredentialRequest *request;   /* the question's own copy; answers go here */
  gboolean answered;              /* under mutex */
  gboolean accepted;              /* under mutex */
} Question;

static void
question_clear (gpointer data)
{
  Question *question = data;

  mw_credential_request_free (question->request);
  g_clear_object (&question->cancellable);
  g_mutex_clear (&question->mutex);
  g_cond_clear (&question->cond);
}

static void
question_unref (gpointer question)
{
  g_atomic_rc_box_release_full (question, question_clear);
}

static void
question_closure_notify (gpointer  question,
                         GClosure *closure)
{
  question_unref (question);
}

/* Main thread. */
static void
on_dialog_finished_cb (MwCredentialsDialog *dialog,
                       gboolean             accepted,
                       gpointer             user_data)
{
  Question *question = user_data;

  g_mutex_lock (&question->mutex);
  if (accepted)
    mw_credentials_dialog_fill (dialog, question->request);
  question->accepted = accepted;
  question->answered = TRUE;
  g_cond_signal (&question->cond);
  g_mutex_unlock (&question->mutex);
}

/* Main thread: as the dialog's Cancel does. */
static gboolean
withdraw_cb (gpointer dialog)
{
  gtk_widget_activate_action (GTK_WIDGET (dialog), "credentials.cancel", NULL);
  return G_SOURCE_REMOVE;
}

/* Whichever thread cancelled the attempt; the app's cancel on the main thread. */
static void
on_attempt_cancelled_cb (GCancellable        *cancellable,
                         MwCredentialsDialog *dialog)
{
  if (g_main_context_is_owner (g_main_context_default ()))
    withdraw_cb (dialog);
  else
    g_idle_add_full (G_PRIORITY_DEFAULT, withdraw_cb, g_object_ref (dialog), g_object_unref);
}

/* Main thread. */
static gboolean
show_question_cb (gpointer data)
{
  Question *question = data;
  MwCredentialsDialog *dialog;
  GtkWindow *parent;

  if (g_cancellable_is_cancelled (question->cancellable))
    {
      g_mutex_lock (&question->mutex);
      question->accepted = FALSE;
      question->answered = TRUE;
      g_cond_signal (&question->cond);
      g_mutex_unlock (&question->mutex);
      return G_SOURCE_REMOVE;
    }

  parent = gtk_application_get_active_window (question->app);
  dialog = mw_credentials_dialog_new (parent, question->request);
  if (parent == NULL)
    gtk_window_set_application (GTK_WINDOW (dialog), question->app);
  g_signal_connect_data (dialog, "finished", G_CALLBACK (on_dialog_finished_cb),
                         g_atomic_rc_box_acquire (question), question_closure_notify, 0);
  if (question->cancellable != NULL)
    g_signal_connect_object (question->cancellable, "cancelled",
                             G_CALLBACK (on_attempt_cancelled_cb), dialog, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return G_SOURCE_REMOVE;
}

/* A connection's worker. */
static gboolean
ask (MwCredentialRequest  *request,
     gpointer              user_data,
     GError              **error)
{
  Question *question;
  gboolean accepted;

  g_return_val_if_fail (!g_main_context_is_owner (g_main_context_default ()), FALSE);

  question = g_atomic_rc_box_new0 (Question);
  g_mutex_init (&question->mutex);
  g_cond_init (&question->cond);
  question->app = user_data;
  question->request = mw_credential_request_copy (request);
  question->cancellable = g_cancellable_get_current ();
  if (question->cancellable != NULL)
    g_object_ref (question->cancellable);

  /* An idle source, never g_main_context_invoke: that would run the dialog right here, in the
   * worker, whenever the main thread is not iterating at this moment. */
  g_idle_add_full (G_PRIORITY_DEFAULT, show_question_cb, g_atomic_rc_box_acquire (question),
                   question_unref);

  g_mutex_lock (&question->mutex);
  while (!question->answered)
    g_cond_wait (&question->cond, &question->mutex);
  accepted = question->accepted;
  if (accepted)
    mw_credential_request_take_answers (request, question->request);
  g_mutex_unlock (&question->mutex);
  question_unref (question);

  if (!accepted)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                 _("The connection was not opened because no credentials were given."));
  return accepted;
}

void
mw_credentials_prompt_install (GtkApplication *app)
{
  g_return_if_fail (GTK_IS_APPLICATION (app));

  mw_credentials_set_provider (ask, app);
}
