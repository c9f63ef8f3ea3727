/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window-domain-actions.c: the selected domain's life-cycle actions in the main window.
 *
 * Each is a win.domain-* action, enabled by the domain's listed state
 * (mw_domain_can_run_action); the menus that offer them open with one sentence saying what that
 * state allows, which is why the others are off. Force Off asks first. The call runs in a
 * worker (mw-domain-actions.c) and the list follows by itself: lifecycle events, and a re-read
 * of the domain after every call. A failure is a toast naming the domain, with libvirt's own
 * words behind its Details button; a Shut Down the guest does not act on within a minute is
 * said too. Main thread.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-window-private.h"

static const struct
{
  const char *name;
  MwDomainAction action;
} domain_actions[] = {
  { "win.domain-start", MW_DOMAIN_ACTION_START },
  { "win.domain-shutdown", MW_DOMAIN_ACTION_SHUTDOWN },
  { "win.domain-reboot", MW_DOMAIN_ACTION_REBOOT },
  { "win.domain-force-off", MW_DOMAIN_ACTION_FORCE_OFF },
  { "win.domain-pause", MW_DOMAIN_ACTION_PAUSE },
  { "win.domain-resume", MW_DOMAIN_ACTION_RESUME },
};

/* Whole sentences, one per action: translators need them whole. */
static char *
format_failure (MwDomainAction  action,
                const char     *name)
{
  switch (action)
    {
    case MW_DOMAIN_ACTION_START:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("Could not start %s."), name);
    case MW_DOMAIN_ACTION_SHUTDOWN:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("Could not shut down %s."), name);
    case MW_DOMAIN_ACTION_REBOOT:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("Could not reboot %s."), name);
    case MW_DOMAIN_ACTION_FORCE_OFF:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("Could not force off %s."), name);
    case MW_DOMAIN_ACTION_PAUSE:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("Could not pause %s."), name);
    case MW_DOMAIN_ACTION_RESUME:
    default:
      /* Translators: %s is a domain (virtual machine) name */
      return g_strdup_printf (_("Could not resume %s."), name);
    }
}

/* Shutting down and rebooting are requests the guest's OS may take a while over, or ignore: say
 * that it was asked, since the list may not change for a while. NULL for the others. */
static char *
format_request (MwDomainAction  action,
                const char     *name)
{
  if (action == MW_DOMAIN_ACTION_SHUTDOWN)
    /* Translators: %s is a domain (virtual machine) name */
    return g_strdup_printf (_("%s was asked to shut down."), name);
  if (action == MW_DOMAIN_ACTION_REBOOT)
    /* Translators: %s is a domain (virtual machine) name */
    return g_strdup_printf (_("%s was asked to reboot."), name);
  return NULL;
}

static void
on_outcome_dismissed_cb (AdwToast *toast,
                         MwWindow *self)
{
  g_signal_handlers_disconnect_by_data (toast, self);
  g_clear_weak_pointer (&self->outcome_toast);
}

/* The newest outcome takes the place of the one before, in the same toast while that one is
 * still up (its timeout starts again), rather than queueing behind it. The toast is never
 * dismissed for it: libadwaita 1.2 frees a toast whose hiding ends before its showing did and
 * then runs the show's end on the freed memory ("invalid class pointer", a crash), which is
 * what dismissing a toast still coming in does. (Not with ADW_TOAST_PRIORITY_HIGH either: it
 * asserts when a toast it pushed back is shown again before it has finished hiding.)
 * details, when given, is what the Details button shows. */
static void
show_outcome (MwWindow   *self,
              const char *title,
              const char *details)
{
  g_autofree char *markup = g_markup_escape_text (title, -1);  /* titles are markup in 1.2 */
  AdwToast *toast = self->outcome_toast;

  if (toast == NULL)
    {
      toast = adw_toast_new (markup);
      g_set_weak_pointer (&self->outcome_toast, toast);
      g_signal_connect (toast, "dismissed", G_CALLBACK (on_outcome_dismissed_cb), self);
    }
  else
    {
      adw_toast_set_title (toast, markup);
      g_object_ref (toast);  /* adding takes a reference, even when it was added already */
    }
  adw_toast_set_button_label (toast, details != NULL ? _("_Details") : NULL);
  /* The shown button takes each change at once: never an action without its target. */
  if (details != NULL)
    {
      adw_toast_set_action_target_value (toast, g_variant_new ("(ss)", title, details));
      adw_toast_set_action_name (toast, "win.show-details");
    }
  else
    {
      adw_toast_set_action_name (toast, NULL);
      adw_toast_set_action_target_value (toast, NULL);
    }
  adw_toast_set_timeout (toast, details != NULL ? 10 : 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A Shut Down the guest has not acted on by then is said to still be running (issue #10: in the
 * lab the guest ignored it, and the window said nothing more than that it was asked). */
static guint shutdown_patience_ms = 60 * 1000;

void
mw_window_set_shutdown_patience (guint milliseconds)
{
  shutdown_patience_ms = milliseconds;
}

typedef struct
{
  MwWindow *window;   /* owned */
  MwDomain *domain;   /* owned */
  gulong state_id;
  guint timeout_id;
} ShutdownWatch;

static void
shutdown_watch_free (ShutdownWatch *watch)
{
  g_clear_signal_handler (&watch->state_id, watch->domain);
  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  g_object_unref (watch->domain);
  g_object_unref (watch->window);
  g_free (watch);
}

/* Its state changed (shutting down, off, paused…): the request was heard, nothing to add. */
static void
on_watched_state_cb (MwDomain      *domain,
                     GParamSpec    *pspec,
                     ShutdownWatch *watch)
{
  shutdown_watch_free (watch);
}

static gboolean
on_shutdown_patience_cb (gpointer data)
{
  ShutdownWatch *watch = data;
  MwConnection *connection = mw_domain_get_connection (watch->domain);
  MwDomain *listed = connection != NULL
                       ? mw_connection_find_domain (connection, mw_domain_get_name (watch->domain))
                       : NULL;

  watch->timeout_id = 0;
  /* Still listed, as the same domain, still running; the window still open. */
  if (listed == watch->domain && mw_domain_is_active (watch->domain)
      && mw_domain_get_state (watch->domain) != MW_DOMAIN_STATE_PAUSED
      && !g_cancellable_is_cancelled (watch->window->cancellable))
    {
      g_autofree char *title =
        /* Translators: %s is a domain (virtual machine) name */
        g_strdup_printf (_("%s is still running: its guest may ignore Shut Down. Force Off… "
                           "stops it at once."), mw_domain_get_name (watch->domain));

      show_outcome (watch->window, title, NULL);
    }
  shutdown_watch_free (watch);
  return G_SOURCE_REMOVE;
}

void
mw_window_watch_shutdown (MwWindow *self,
                          MwDomain *domain)
{
  ShutdownWatch *watch = g_new0 (ShutdownWatch, 1);

  watch->window = g_object_ref (self);
  watch->domain = g_object_ref (domain);
  watch->state_id = g_signal_connect (domain, "notify::state", G_CALLBACK (on_watched_state_cb),
                                      watch);
  watch->timeout_id = g_timeout_add (shutdown_patience_ms, on_shutdown_patience_cb, watch);
}

typedef struct
{
  MwWindow *window;   /* owned: the toast needs it, even once the window is closing */
  MwDomain *domain;   /* owned */
  char *name;
  MwDomainAction action;
} ActionCall;

static void
action_call_free (ActionCall *call)
{
  g_object_unref (call->window);
  g_object_unref (call->domain);
  g_free (call->name);
  g_free (call);
}

static void
on_action_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ActionCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!mw_domain_run_action_finish (MW_DOMAIN (source_object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          title = format_failure (call->action, call->name);
          show_outcome (call->window, title, error->message);
        }
    }
  else if ((title = format_request (call->action, call->name)) != NULL)
    {
      show_outcome (call->window, title, NULL);
      if (call->action == MW_DOMAIN_ACTION_SHUTDOWN && mw_domain_is_active (call->domain))
        mw_window_watch_shutdown (call->window, call->domain);
    }

  action_call_free (call);
}

static void
run_on_domain (MwWindow       *self,
               MwDomain       *domain,
               MwDomainAction  action)
{
  ActionCall *call;

  /* The state may have changed since the menu was open (a confirmation, a keyboard
   * shortcut): what does not apply now is not asked for. */
  if (!mw_domain_can_run_action (domain, action))
    return;

  call = g_new0 (ActionCall, 1);
  call->window = g_object_ref (self);
  call->domain = g_object_ref (domain);
  call->name = g_strdup (mw_domain_get_name (domain));
  call->action = action;
  mw_domain_run_action_async (domain, action, self->cancellable, on_action_done_cb, call);
}

static void
on_force_off_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          MwWindow         *self)
{
  MwDomain *domain = g_object_get_data (G_OBJECT (dialog), "mw-domain");

  if (g_str_equal (response, "force-off"))
    run_on_domain (self, domain, MW_DOMAIN_ACTION_FORCE_OFF);
}

static void
ask_force_off (MwWindow *self,
               MwDomain *domain)
{
  const char *name = mw_domain_get_name (domain);
  /* Translators: %s is a domain (virtual machine) name */
  g_autofree char *heading = g_strdup_printf (_("Force Off %s?"), name);
  /* Translators: %s is a domain (virtual machine) name */
  g_autofree char *body = g_strdup_printf (_("%s stops at once, as if its power cord were "
                                             "pulled: whatever has not been saved inside the "
                                             "guest is lost, and its file systems may need "
                                             "checking when it starts again. Shut Down asks "
                                             "the guest to stop cleanly instead."), name);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "force-off", _("_Force Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "force-off",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The domain asked about, whatever is selected by the time the answer comes. */
  g_object_set_data_full (G_OBJECT (dialog), "mw-domain", g_object_ref (domain), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_force_off_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
domain_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MwWindow *self = MW_WINDOW (widget);
  MwDomain *domain = mw_window_get_selected_domain (self);

  if (domain == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (domain_actions); i++)
    {
      if (!g_str_equal (action_name, domain_actions[i].name))
        continue;
      if (domain_actions[i].action == MW_DOMAIN_ACTION_FORCE_OFF)
        ask_force_off (self, domain);
      else
        run_on_domain (self, domain, domain_actions[i].action);
      return;
    }
}

static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *heading;
  const char *body;
  GtkWidget *dialog;

  g_variant_get (parameter, "(&s&s)", &heading, &body);
  dialog = adw_message_dialog_new (GTK_WINDOW (widget), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
mw_window_new_state_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
watch_domain (MwWindow *self,
              MwDomain *domain)
{
  if (self->watched_domain == domain)
    return;

  if (self->watched_domain != NULL)
    g_signal_handlers_disconnect_by_func (self->watched_domain,
                                          mw_window_update_domain_actions, self);
  self->watched_state_id = 0;
  g_set_object (&self->watched_domain, domain);
  if (domain != NULL)
    {
      self->watched_state_id =
        g_signal_connect_swapped (domain, "notify::state",
                                  G_CALLBACK (mw_window_update_domain_actions), self);
      g_signal_connect_swapped (domain, "notify::migrating",
                                G_CALLBACK (mw_window_update_domain_actions), self);
    }
}

void
mw_window_update_domain_actions (MwWindow *self)
{
  MwDomain *domain = mw_window_get_selected_domain (self);
  g_autofree char *sentence = domain != NULL ? mw_domain_describe_actions (domain) : NULL;

  watch_domain (self, domain);

  for (guint i = 0; i < G_N_ELEMENTS (domain_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), domain_actions[i].name,
                                   domain != NULL
                                   && mw_domain_can_run_action (domain, domain_actions[i].action));

  gtk_widget_set_sensitive (GTK_WIDGET (self->power_button), domain != NULL);
  gtk_label_set_text (GTK_LABEL (self->menu_state_label), sentence != NULL ? sentence : "");
  gtk_label_set_text (GTK_LABEL (self->power_state_label), sentence != NULL ? sentence : "");
}

void
mw_window_class_init_domain_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (domain_actions); i++)
    gtk_widget_class_install_action (widget_class, domain_actions[i].name, NULL, domain_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", "(ss)",
                                   show_details_action);
}
