/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-host-setup-server.c: the Storage page's "Set Up the Server over SSH…" (setup.apply-server)
 * of the host set-up window: consent, then the server's SSH host key (scanned, compared with
 * known_hosts; a key not known yet is shown with its fingerprint and pinned only when the user
 * trusts it, as Add Remote Host does), then the server's steps in a core worker.
 *
 * Main thread only. The window stays busy from consent to the last step, the host-key question
 * included, so no other operation starts in between. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-host-setup-window-private.h"
#include "mw-setup-rows.h"
#include "mw-storage-setup.h"

static void
on_apply_server_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GError) error = NULL;

  done = mw_nfs_apply_server_finish (result, &steps, &error);
  if (!mw_host_setup_window_end_work (self))
    return;
  mw_setup_rows_show_steps (self->storage_steps, steps, FALSE);
  if (done == NULL)
    gtk_label_set_text (self->storage_status_label, error->message);
  else
    gtk_label_set_text (self->storage_status_label,
                        _("The server exports the directory (showmount -e lists it). Now create "
                          "the pool on both hosts."));
}

static void
apply_server (MwHostSetupWindow *self)
{
  gtk_label_set_text (self->storage_status_label, _("Setting up the server…"));
  mw_nfs_apply_server_async (self->plan, self->cancellable, on_apply_server_done_cb,
                             g_object_ref (self));
}

/* The host-key question ended without a go: nothing was changed, and the label says why. */
static void
stop_before_server (MwHostSetupWindow *self,
                    const char        *text)
{
  if (!mw_host_setup_window_end_work (self))
    return;
  mw_setup_rows_clear (self->storage_steps);
  gtk_label_set_text (self->storage_status_label, text);
}

static void
on_trust_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MwHostSetupWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_ssh_accept_host_key_finish (result, &error))
    {
      stop_before_server (self, error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable) || self->plan == NULL)
    {
      stop_before_server (self, _("Nothing was changed on the server."));
      return;
    }
  apply_server (self);
}

typedef struct
{
  MwHostSetupWindow *self;
  MwSshTarget *target;
  MwSshHostKey *key;
} TrustQuestion;

static void
trust_question_free (gpointer data)
{
  TrustQuestion *question = data;

  g_object_unref (question->self);
  mw_ssh_target_free (question->target);
  mw_ssh_host_key_free (question->key);
  g_free (question);
}

static void
on_host_key_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         TrustQuestion    *question)
{
  if (!g_str_equal (response, "trust"))
    {
      stop_before_server (question->self,
                          _("Nothing was changed: the server’s SSH host key was not "
                            "confirmed."));
      return;
    }
  mw_ssh_accept_host_key_async (NULL, question->target, question->key,
                                question->self->cancellable, on_trust_done_cb,
                                g_object_ref (question->self));
}

static void
ask_host_key (MwHostSetupWindow  *self,
              MwSshTarget        *target,
              const MwSshHostKey *key)
{
  g_autofree char *advice = mw_ssh_host_key_compare_advice (key);
  TrustQuestion *question = g_new0 (TrustQuestion, 1);
  g_autofree char *name = mw_ssh_target_get_known_name (target);
  AdwMessageDialog *dialog;

  question->self = g_object_ref (self);
  question->target = mw_ssh_target_copy (target);
  question->key = mw_ssh_host_key_copy (key);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Trust the NFS Server’s Host Key?"),
                                                       NULL));
  adw_message_dialog_format_body (
    dialog,
    /* Translators: %1$s is the NFS server, %2$s the key type, %3$s its SHA256 fingerprint,
     * %4$s the sentence on how to compare it */
    _("MigWizard has not logged in to %1$s over SSH before. Its host key is:\n\n%2$s %3$s\n\n"
      "%4$s"),
    name, key->type, key->fingerprint, advice);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "trust",
                                    _("_Trust and Continue"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_host_key_response_cb), question,
                         (GClosureNotify) (void (*) (void)) trust_question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  MwHostSetupWindow *self;
  MwSshTarget *target;
} KeyCheck;

static void
on_host_key_checked_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  KeyCheck *pending = user_data;
  g_autoptr(MwHostSetupWindow) self = pending->self;
  g_autoptr(MwSshTarget) target = pending->target;
  g_autoptr(MwSshHostKeyCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  const MwSshHostKey *key = NULL;

  g_free (pending);
  check = mw_ssh_check_host_key_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (check == NULL)
    {
      /* A changed key is the same loud stop as in Add Remote Host: its sentence says what. */
      stop_before_server (self, error->message);
      return;
    }
  switch (mw_setup_host_key_decide (check, NULL, &key))
    {
    case MW_SETUP_HOST_KEY_TRUSTED:
      if (self->plan != NULL)
        apply_server (self);
      else
        stop_before_server (self, _("Nothing was changed on the server."));
      break;
    case MW_SETUP_HOST_KEY_ASK:
    case MW_SETUP_HOST_KEY_ACCEPTED:
    case MW_SETUP_HOST_KEY_MISMATCH:
    default:
      ask_host_key (self, target, key);
      break;
    }
}

static void
on_apply_consent_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     MwHostSetupWindow *self)
{
  g_autoptr(GError) error = NULL;
  KeyCheck *pending;
  MwSshTarget *target;

  if (!g_str_equal (response, "apply") || self->plan == NULL)
    return;
  target = mw_nfs_plan_get_ssh_target (self->plan, &error);
  if (target == NULL)
    {
      gtk_label_set_text (self->storage_status_label, error->message);
      return;
    }
  mw_host_setup_window_set_busy (self, TRUE);
  gtk_label_set_text (self->storage_status_label, _("Checking the server’s SSH host key…"));
  pending = g_new0 (KeyCheck, 1);
  pending->self = g_object_ref (self);
  pending->target = target;
  mw_ssh_check_host_key_async (NULL, target, self->cancellable, on_host_key_checked_cb,
                               pending);
}

static void
apply_server_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwHostSetupWindow *self = MW_HOST_SETUP_WINDOW (widget);
  g_autofree char *line = NULL;
  g_auto(GStrv) warnings = NULL;
  AdwMessageDialog *dialog;

  if (self->plan == NULL)
    return;
  line = mw_nfs_plan_get_exports_line (self->plan);
  warnings = mw_nfs_plan_get_warnings (self->plan);
  dialog = mw_host_setup_window_consent_dialog_new (self, _("Change the NFS Server?"), "apply",
                                                    _("_Change Server"),
                                                    G_CALLBACK (on_apply_consent_cb));
  adw_message_dialog_format_body (dialog,
                                  _("MigWizard will log in to root@%s over SSH and create %s, "
                                    "add “%s” to /etc/exports, run exportfs -r, allow TCP 2049 "
                                    "in firewalld or ufw when one is active, and check the "
                                    "export with showmount -e. If a step fails, the steps "
                                    "before it are undone."),
                                  self->plan->server, self->plan->export_path, line);
  /* The plan's risks again, where the decision is taken. */
  if (warnings[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv ("\n\n", warnings);
      g_autofree char *body = g_strdup_printf ("%s\n\n%s",
                                               adw_message_dialog_get_body (dialog), joined);

      adw_message_dialog_set_body (dialog, body);
    }
  adw_message_dialog_set_default_response (dialog, "cancel");
  gtk_window_present (GTK_WINDOW (dialog));
}

void
mw_host_setup_window_class_init_server (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "setup.apply-server", NULL, apply_server_action);
}
