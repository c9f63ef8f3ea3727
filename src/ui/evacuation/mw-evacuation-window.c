/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-window.c: Evacuate Host…, from the destinations to the summary. Main thread.
 *
 * The window owns the plan and the evacuation; the pages only show them. Check makes a new
 * plan from the setup page (the destinations are fixed when a plan is made) and runs its
 * pre-flight; Start runs it once the plan page says every guest has a decision; `finished`
 * shows the summary. Bring Back… makes the way-back plan from the evacuation's report (the
 * core remembers where each guest came from) and goes through the same plan and run pages. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-application.h"
#include "mw-evacuation-report.h"
#include "mw-evacuation-window-private.h"

struct _MwEvacuationWindow
{
  AdwWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  GtkWidget *check_button;
  GtkWidget *start_button;
  GtkStack *stack;

  /* Owned */
  MwConnection *source;
  MwEvacuationPlan *plan;
  MwEvacuation *evacuation;
  MwEvacuationPlan *bring_back;       /* the way back from a finished evacuation, not yet run */
  GtkFileChooserNative *chooser;
  GCancellable *cancellable;          /* cancelled when the window goes: report writing */
  MwEvacuationJobFactory job_factory;
  gpointer job_factory_data;
  guint sample_interval_ms;
  guint max_checks;

  /* Borrowed: the pages, in the stack */
  MwConnectionList *connections;
  MwEvacuationSetupPage *setup_page;
  MwEvacuationPlanPage *plan_page;
  MwEvacuationProgressPage *progress_page;
  MwEvacuationSummaryPage *summary_page;

  gboolean close_when_finished;
};

G_DEFINE_FINAL_TYPE (MwEvacuationWindow, mw_evacuation_window, ADW_TYPE_WINDOW)

static gboolean
is_running (MwEvacuationWindow *self)
{
  return self->evacuation != NULL
         && mw_evacuation_get_state (self->evacuation) != MW_EVACUATION_RUN_FINISHED;
}

static gboolean
is_bring_back (MwEvacuationWindow *self)
{
  return self->plan != NULL && mw_evacuation_plan_get_bring_back (self->plan);
}

/* The title says what the window does, the subtitle which step it is at. */
static void
update_chrome (MwEvacuationWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  const char *host = mw_connection_get_title (self->source);
  g_autofree char *title = NULL;
  const char *subtitle;

  if (is_bring_back (self))
    /* Translators: %s is the host the guests were evacuated from. */
    title = g_strdup_printf (_("Bring Back to %s"), host);
  else
    /* Translators: %s is the host being emptied. */
    title = g_strdup_printf (_("Evacuate %s"), host);
  if (g_strcmp0 (page, "setup") == 0)
    subtitle = _("Where the guests go");
  else if (g_strcmp0 (page, "plan") == 0)
    subtitle = _("The plan: nothing has started yet");
  else if (g_strcmp0 (page, "progress") == 0)
    subtitle = _("Moving the guests");
  else
    subtitle = _("Summary");
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);

  gtk_widget_set_visible (self->check_button, g_strcmp0 (page, "setup") == 0);
  gtk_widget_set_visible (self->start_button, g_strcmp0 (page, "plan") == 0);
  gtk_widget_set_visible (self->back_button,
                          g_strcmp0 (page, "plan") == 0 && !is_bring_back (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evacuation.check",
                                 mw_evacuation_setup_page_get_valid (self->setup_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evacuation.start",
                                 g_strcmp0 (page, "plan") == 0
                                 && mw_evacuation_plan_page_get_ready (self->plan_page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evacuation.back",
                                 g_strcmp0 (page, "plan") == 0 && !is_bring_back (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evacuation.save-report",
                                 g_strcmp0 (page, "summary") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evacuation.bring-back",
                                 g_strcmp0 (page, "summary") == 0 && self->bring_back != NULL);
}

static void
show_page (MwEvacuationWindow *self,
           const char         *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  update_chrome (self);
}

static void
toast (MwEvacuationWindow *self,
       const char         *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
set_plan (MwEvacuationWindow *self,
          MwEvacuationPlan   *plan)
{
  if (self->plan != NULL)
    mw_evacuation_plan_cancel (self->plan);
  g_set_object (&self->plan, plan);
  mw_evacuation_plan_page_set_plan (self->plan_page, plan);
  if (plan != NULL)
    {
      mw_evacuation_plan_set_max_checks (plan, self->max_checks);
      mw_evacuation_plan_run (plan);
    }
  show_page (self, "plan");
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (widget);
  g_auto(GStrv) destinations = mw_evacuation_setup_page_dup_destinations (self->setup_page);
  g_autoptr(MwEvacuationPlan) plan = NULL;

  if (destinations == NULL || destinations[0] == NULL)
    return;
  plan = mw_evacuation_plan_new (mw_connection_get_uri (self->source),
                                 (const char * const *) destinations);
  mw_evacuation_plan_set_order (plan, mw_evacuation_setup_page_get_order (self->setup_page));
  set_plan (self, plan);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (widget);

  if (self->plan != NULL)
    mw_evacuation_plan_cancel (self->plan);
  show_page (self, "setup");
}

/* The way back is planned from the evacuation's own record as soon as it ends, so Bring Back…
 * is offered only when something moved, and says why not otherwise. */
static void
plan_bring_back (MwEvacuationWindow *self)
{
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *why = NULL;

  g_clear_object (&self->bring_back);
  if (!is_bring_back (self))
    {
      report = mw_evacuation_to_json (self->evacuation);
      self->bring_back = mw_evacuation_plan_new_bring_back (report, &error);
      if (self->bring_back == NULL)
        why = g_error_matches (error, MW_EVACUATION_REPORT_ERROR,
                               MW_EVACUATION_REPORT_ERROR_NOTHING)
              ? _("Nothing to bring back: no guest was moved, shut down or saved.")
              : error->message;
    }
  mw_evacuation_summary_page_set_bring_back_blocked (self->summary_page, why);
}

/* Finished while the user looks elsewhere: a desktop notification brings them back. */
static void
notify_finished (MwEvacuationWindow *self)
{
  MwApplication *app = mw_application_for_window (GTK_WINDOW (self));
  const char *host = mw_connection_get_title (self->source);
  gboolean stopped = mw_evacuation_get_stopped (self->evacuation);
  g_autofree char *title = NULL;

  if (app == NULL)
    return;
  if (is_bring_back (self))
    /* Translators: %s is the host the guests were evacuated from. */
    title = g_strdup_printf (stopped ? _("Bring Back to %s Stopped")
                                     : _("Bring Back to %s Finished"), host);
  else
    /* Translators: %s is the host being emptied. */
    title = g_strdup_printf (stopped ? _("Evacuation of %s Stopped")
                                     : _("Evacuation of %s Finished"), host);
  mw_application_notify_done (app, GTK_WINDOW (self), title,
                              mw_evacuation_summary_page_get_outcome (self->summary_page));
}

static void
on_finished_cb (MwEvacuationWindow *self)
{
  mw_evacuation_summary_page_set_evacuation (self->summary_page, self->evacuation);
  plan_bring_back (self);
  show_page (self, "summary");
  if (self->close_when_finished)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  notify_finished (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (widget);

  if (self->plan == NULL || !mw_evacuation_plan_page_get_ready (self->plan_page)
      || is_running (self))
    return;
  /* The priorities the user set are in the order the guests go. */
  mw_evacuation_plan_sort (self->plan);
  if (self->evacuation != NULL)
    g_signal_handlers_disconnect_by_data (self->evacuation, self);
  g_clear_object (&self->evacuation);
  self->evacuation = mw_evacuation_new (self->plan);
  mw_evacuation_set_parallel (self->evacuation,
                              mw_evacuation_setup_page_get_parallel (self->setup_page));
  mw_evacuation_set_bandwidth (self->evacuation,
                               mw_evacuation_setup_page_get_bandwidth (self->setup_page));
  mw_evacuation_set_ping (self->evacuation, TRUE);
  if (self->job_factory != NULL)
    mw_evacuation_set_job_factory (self->evacuation, self->job_factory, self->job_factory_data);
  if (self->sample_interval_ms > 0)
    mw_evacuation_set_sample_interval (self->evacuation, self->sample_interval_ms);
  g_signal_connect_swapped (self->evacuation, "finished", G_CALLBACK (on_finished_cb), self);
  mw_evacuation_progress_page_set_evacuation (self->progress_page, self->evacuation);
  show_page (self, "progress");
  mw_evacuation_plan_page_park (self->plan_page);
  mw_evacuation_start (self->evacuation);
}

/* ---- Save Report… ------------------------------------------------------------------------ */

typedef struct
{
  MwEvacuationWindow *window;         /* a ref: the toast needs it */
  GFile *json;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->json);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
on_report_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  GFile *json = data->json;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_file_get_basename (json);

  if (mw_evacuation_write_report_finish (MW_EVACUATION (source), result, &error))
    /* Translators: %s is the JSON file's name; the CSV and each guest’s report go beside it. */
    text = g_strdup_printf (_("Saved %s, with its CSV and each guest’s report"), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    /* Translators: %s is why the report could not be written. */
    text = g_strdup_printf (_("Could not save the report: %s"), error->message);
  toast (data->window, text);
}

void
mw_evacuation_window_save_report (MwEvacuationWindow *self,
                                  GFile              *json)
{
  g_autoptr(GFile) csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *csv_path = NULL;
  SaveData *data;

  g_return_if_fail (MW_IS_EVACUATION_WINDOW (self));
  g_return_if_fail (G_IS_FILE (json));

  if (self->evacuation == NULL)
    return;
  /* The CSV beside the JSON, as the command line's --report does. */
  path = g_file_get_path (json);
  stem = g_str_has_suffix (path, ".json") ? g_strndup (path, strlen (path) - 5) : g_strdup (path);
  csv_path = g_strconcat (stem, ".csv", NULL);
  csv = g_file_new_for_path (csv_path);
  data = g_new0 (SaveData, 1);
  data->window = g_object_ref (self);
  data->json = g_object_ref (json);
  mw_evacuation_write_report_async (self->evacuation, json, csv, self->cancellable,
                                    on_report_written_cb, data);
}

static void
on_chooser_response_cb (MwEvacuationWindow *self,
                        int                 response)
{
  g_autoptr(GFile) json = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    json = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_clear_object (&self->chooser);
  if (json != NULL)
    mw_evacuation_window_save_report (self, json);
}

static void
save_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->evacuation == NULL || self->chooser != NULL)
    return;
  /* Translators: a file name; %s are the host's name and a time stamp. */
  name = g_strdup_printf (is_bring_back (self) ? _("%s-bring-back-%s.json")
                                               : _("%s-evacuation-%s.json"),
                          mw_connection_get_title (self->source), stamp);
  g_strdelimit (name, "/ ", '-');
  self->chooser = gtk_file_chooser_native_new (_("Save Report"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_filter_set_name (filter, _("Evacuation report (JSON, with CSV beside it)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- Bring Back… ------------------------------------------------------------------------- */

static void
bring_back_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (widget);
  g_autoptr(MwEvacuationPlan) plan = NULL;

  if (self->bring_back == NULL || is_running (self))
    return;
  plan = g_steal_pointer (&self->bring_back);
  mw_evacuation_plan_set_order (plan, mw_evacuation_plan_get_order (self->plan));
  set_plan (self, plan);
}

/* ---- closing ------------------------------------------------------------------------------ */

static void
on_close_response_cb (MwEvacuationWindow *self,
                      const char         *response)
{
  if (g_strcmp0 (response, "stop") != 0 || !is_running (self))
    return;
  self->close_when_finished = TRUE;
  mw_evacuation_stop (self->evacuation);
}

static gboolean
mw_evacuation_window_close_request (GtkWindow *window)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (window);
  GtkWidget *dialog;

  if (!is_running (self))
    return GTK_WINDOW_CLASS (mw_evacuation_window_parent_class)->close_request (window);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Stop the Evacuation?"),
                                   _("The running migrations are aborted and the queued guests "
                                     "are skipped: every guest stays where it is now. The window "
                                     "closes once they have stopped."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Keep Going"),
                                    "stop", _("_Stop and Close"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
mw_evacuation_window_dispose (GObject *object)
{
  MwEvacuationWindow *self = MW_EVACUATION_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->evacuation != NULL)
    g_signal_handlers_disconnect_by_data (self->evacuation, self);
  if (self->plan != NULL)
    mw_evacuation_plan_cancel (self->plan);
  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_EVACUATION_WINDOW);
  g_clear_object (&self->evacuation);
  g_clear_object (&self->plan);
  g_clear_object (&self->bring_back);
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (mw_evacuation_window_parent_class)->dispose (object);
}

static void
mw_evacuation_window_class_init (MwEvacuationWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mw_evacuation_window_dispose;
  window_class->close_request = mw_evacuation_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/evacuation/"
                                               "mw-evacuation-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationWindow, check_button);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, MwEvacuationWindow, stack);

  gtk_widget_class_install_action (widget_class, "evacuation.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "evacuation.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "evacuation.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "evacuation.save-report", NULL,
                                   save_report_action);
  gtk_widget_class_install_action (widget_class, "evacuation.bring-back", NULL,
                                   bring_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mw_evacuation_window_init (MwEvacuationWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->max_checks = MW_EVACUATION_PLAN_DEFAULT_MAX_CHECKS;
}

MwEvacuationWindow *
mw_evacuation_window_new (GtkWindow        *parent,
                          MwConnectionList *connections,
                          MwConnection     *source)
{
  MwEvacuationWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION_LIST (connections), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION (source), NULL);

  self = g_object_new (MW_TYPE_EVACUATION_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->connections = connections;
  self->source = g_object_ref (source);
  self->setup_page = MW_EVACUATION_SETUP_PAGE (mw_evacuation_setup_page_new (connections, source));
  self->plan_page = MW_EVACUATION_PLAN_PAGE (mw_evacuation_plan_page_new (connections));
  self->progress_page = MW_EVACUATION_PROGRESS_PAGE (mw_evacuation_progress_page_new (connections));
  self->summary_page = MW_EVACUATION_SUMMARY_PAGE (mw_evacuation_summary_page_new (connections));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->setup_page), "setup");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->plan_page), "plan");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->progress_page), "progress");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->summary_page), "summary");
  g_signal_connect_swapped (self->setup_page, "notify::valid", G_CALLBACK (update_chrome), self);
  g_signal_connect_swapped (self->plan_page, "notify::ready", G_CALLBACK (update_chrome), self);
  show_page (self, "setup");
  return self;
}

MwEvacuationSetupPage *
mw_evacuation_window_get_setup_page (MwEvacuationWindow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_WINDOW (self), NULL);
  return self->setup_page;
}

MwEvacuationPlanPage *
mw_evacuation_window_get_plan_page (MwEvacuationWindow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_WINDOW (self), NULL);
  return self->plan_page;
}

MwEvacuationProgressPage *
mw_evacuation_window_get_progress_page (MwEvacuationWindow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_WINDOW (self), NULL);
  return self->progress_page;
}

MwEvacuationSummaryPage *
mw_evacuation_window_get_summary_page (MwEvacuationWindow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_WINDOW (self), NULL);
  return self->summary_page;
}

const char *
mw_evacuation_window_get_page_name (MwEvacuationWindow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

MwEvacuation *
mw_evacuation_window_get_evacuation (MwEvacuationWindow *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_WINDOW (self), NULL);
  return self->evacuation;
}

void
mw_evacuation_window_set_job_factory (MwEvacuationWindow     *self,
                                      MwEvacuationJobFactory  factory,
                                      gpointer                user_data,
                                      guint                   interval_ms)
{
  g_return_if_fail (MW_IS_EVACUATION_WINDOW (self));
  self->job_factory = factory;
  self->job_factory_data = user_data;
  self->sample_interval_ms = interval_ms;
}

void
mw_evacuation_window_set_max_checks (MwEvacuationWindow *self,
                                     guint               max_checks)
{
  g_return_if_fail (MW_IS_EVACUATION_WINDOW (self));
  self->max_checks = MAX (max_checks, 1);
}

void
mw_evacuation_window_show_plan (MwEvacuationWindow *self,
                                MwEvacuationPlan   *plan)
{
  g_return_if_fail (MW_IS_EVACUATION_WINDOW (self));
  g_return_if_fail (MW_IS_EVACUATION_PLAN (plan));
  set_plan (self, plan);
}
