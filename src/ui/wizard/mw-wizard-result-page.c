/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-result-page.c: the job's checked result as facts (each marked as expected or not),
 * figures, advice matched to libvirt's error text, and the chart of the whole run. */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "mw-migration-chart.h"
#include "mw-migration-summary.h"
#include "mw-ping-strip.h"
#include "mw-wizard-result-page.h"

struct _MwWizardResultPage
{
  MwWizardPage parent_instance;

  /* Template widgets */
  GtkImage *result_icon;
  GtkLabel *result_title;
  GtkLabel *result_summary;
  GtkListBox *facts_list;
  GtkFlowBox *figures_box;
  GtkListBox *forecast_list;
  GtkWidget *advice_group;
  GtkLabel *advice_label;
  GtkWidget *result_chart_card;
  MwMigrationChart *result_chart;
  MwPingStrip *result_strip;
  GtkWidget *details_expander;
  GtkLabel *details_label;
};

G_DEFINE_FINAL_TYPE (MwWizardResultPage, mw_wizard_result_page, MW_TYPE_WIZARD_PAGE)

static void
add_fact (MwWizardResultPage *self,
          gboolean            good,
          const char         *title,
          const char         *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (good ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);

  gtk_widget_add_css_class (icon, good ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  good ? _("As expected") : _("Not as expected"), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  if (subtitle != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->facts_list, row);
}

static void
add_figure (MwWizardResultPage *self,
            const char         *caption,
            char               *value,        /* transfer full; NULL shows a dash */
            const char         *explanation)  /* one line under the caption, or NULL */
{
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value_label = gtk_label_new (value ? value : "—");
  GtkWidget *caption_label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (value_label), 0.0);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (value_label, "stat-value");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_widget_add_css_class (box, "stat");
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), caption_label);
  if (explanation != NULL)
    {
      GtkWidget *explanation_label = gtk_label_new (explanation);

      gtk_label_set_xalign (GTK_LABEL (explanation_label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (explanation_label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (explanation_label), 30);
      gtk_widget_add_css_class (explanation_label, "caption");
      gtk_widget_add_css_class (explanation_label, "dim-label");
      gtk_box_append (GTK_BOX (box), explanation_label);
    }
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), box);
  gtk_flow_box_append (self->figures_box, child);
  g_free (value);
}

static char *
failure_advice (const MwMigrationJobResult *result,
                const GError               *error)
{
  const char *text = result->error_message ? result->error_message
                                           : error ? error->message : "";
  g_autofree char *lower = g_utf8_strdown (text, -1);

  if (result->state == MW_MIGRATION_JOB_STATE_CANCELLED)
    return g_strdup (_("You stopped it. To get through next time: allow a longer downtime, "
                       "turn on auto-converge so the guest slows down until its memory can be "
                       "copied, or allow post-copy and switch to it once most memory is "
                       "across."));
  if (error != NULL && g_error_matches (error, MW_MIGRATION_JOB_ERROR,
                                        MW_MIGRATION_JOB_ERROR_STORAGE))
    return g_strdup (_("The destination’s disks could not be prepared: check that its storage "
                       "pool exists, is active and has room, or use shared storage."));
  if (strstr (lower, "not supported") != NULL || strstr (lower, "unsupported") != NULL)
    return g_strdup (_("This host’s libvirt driver cannot do this kind of migration. The demo "
                       "and test hosts cannot migrate at all; use two QEMU/KVM hosts."));
  if (strstr (lower, "certificate") != NULL || strstr (lower, "tls") != NULL)
    return g_strdup (_("The hosts could not set up TLS for the migration stream: install the "
                       "migration certificates on both hosts, or turn TLS off on a trusted "
                       "network."));
  /* libvirt's "Migration without shared storage is unsafe": the disks may well be on storage
   * both hosts see, but on a file system the source's libvirt does not take for shared. */
  if (strstr (lower, "shared storage") != NULL)
    return g_strdup (_("libvirt on the source does not know that the disks’ directory is shared: "
                       "it sees a local file system there. If the destination mounts that "
                       "directory (for example over NFS from the source), list it in "
                       "shared_filesystems in /etc/libvirt/qemu.conf on the source and restart "
                       "its libvirt daemon; otherwise copy the storage with the migration, or "
                       "choose “Unsafe” knowingly."));
  if (strstr (lower, "storage") != NULL || strstr (lower, "unsafe") != NULL ||
      strstr (lower, "cache") != NULL)
    return g_strdup (_("libvirt refuses a disk whose cache mode is not safe to migrate: set "
                       "cache='none' (the Checks page offers the fix) and restart the guest, or "
                       "copy the storage with the migration."));
  if (strstr (lower, "connect") != NULL || strstr (lower, "ssh") != NULL ||
      strstr (lower, "host key") != NULL || strstr (lower, "refused") != NULL)
    return g_strdup (_("The hosts could not reach each other: check that the destination’s "
                       "name resolves from the source, that its firewall lets migration "
                       "traffic in (ports 49152–49215), and that SSH keys are in place for "
                       "peer-to-peer."));
  return g_strdup (_("Read libvirt’s words under Details, fix what they name, then try again. "
                     "The guest was not touched."));
}

static void
show_heading (MwWizardResultPage         *self,
              const MwMigrationJobResult *r,
              const MwMigrationOptions   *o)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  gboolean ok = r->state == MW_MIGRATION_JOB_STATE_SUCCEEDED;
  gboolean offline = o->mode == MW_MIGRATION_MODE_OFFLINE;
  g_autofree char *title = NULL;

  if (ok && offline && !r->on_destination)
    {
      /* Only the definition moved: the guest does not run there. */
      /* Translators: "web01 Is Now Defined on Demo: hostb", after an offline migration. */
      title = g_strdup_printf (_("%s Is Now Defined on %s"),
                               mw_domain_get_name (mw_migration_plan_get_domain (plan)),
                               mw_migration_plan_get_destination_title (plan));
      gtk_image_set_from_icon_name (self->result_icon, "emblem-ok-symbolic");
    }
  else if (ok)
    {
      /* Translators: "web01 Now Runs on Demo: hostb" */
      title = g_strdup_printf (_("%s Now Runs on %s"),
                               mw_domain_get_name (mw_migration_plan_get_domain (plan)),
                               mw_migration_plan_get_destination_title (plan));
      /* Moved, but silent since: not the plain success mark. */
      gtk_image_set_from_icon_name (self->result_icon, r->guest_silent ? "dialog-warning-symbolic"
                                                                       : "emblem-ok-symbolic");
    }
  else if (r->state == MW_MIGRATION_JOB_STATE_CANCELLED)
    {
      title = g_strdup (_("Migration Aborted"));
      gtk_image_set_from_icon_name (self->result_icon, "process-stop-symbolic");
    }
  else
    {
      title = g_strdup (_("Migration Failed"));
      gtk_image_set_from_icon_name (self->result_icon, "dialog-error-symbolic");
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon),
                            !ok ? "error" : r->guest_silent ? "warning" : "success");
  gtk_label_set_text (self->result_title, title);
  gtk_label_set_text (self->result_summary, r->summary ? r->summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_summary), r->summary != NULL);
}

/* Whether the guest answers where it now runs, from the job's own pings. */
static void
show_ping_fact (MwWizardResultPage         *self,
                const MwMigrationJobResult *r,
                const char                 *host)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (r->longest_ping_gap_us < 0)
    return;
  if (r->guest_silent)
    {
      title = g_strdup_printf (_("No ping reply on %s"), host);
      subtitle = g_strdup (r->pings_answered_after == 0
                             ? _("Not one reply since the migration ended: look at the guest’s "
                                 "network before relying on it")
                             : _("It stopped answering soon after the migration ended: look at "
                                 "the guest’s network before relying on it"));
    }
  else
    {
      title = g_strdup_printf (_("Answers ping on %s"), host);
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u reply after the migration ended",
                                               "%u replies after the migration ended",
                                               r->pings_answered_after),
                                  r->pings_answered_after);
    }
  add_fact (self, !r->guest_silent, title, subtitle);
}

static void
show_facts (MwWizardResultPage         *self,
            const MwMigrationJobResult *r,
            const MwMigrationOptions   *o)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  gboolean offline = o->mode == MW_MIGRATION_MODE_OFFLINE;
  const char *source = mw_migration_plan_get_source_title (plan);
  const char *dest = mw_migration_plan_get_destination_title (plan);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts_list))) != NULL)
    gtk_list_box_remove (self->facts_list, child);

  if (r->state == MW_MIGRATION_JOB_STATE_SUCCEEDED)
    {
      g_autofree char *runs = g_strdup_printf (_("Runs on %s"), dest);
      g_autofree char *kept = g_strdup_printf (_("Defined on %s for good"), dest);
      g_autofree char *temp = g_strdup_printf (_("Temporary on %s"), dest);
      g_autofree char *gone = g_strdup_printf (_("Gone from %s"), source);
      g_autofree char *still = g_strdup_printf (_("Still defined on %s"), source);

      if (offline && !r->on_destination)
        {
          g_autofree char *off = g_strdup_printf (_("Shut off on %s"), dest);

          /* An offline migration moves the definition only: not running is what it promises. */
          add_fact (self, TRUE, off, _("An offline migration moves the definition only: start "
                                       "the guest there when it should run"));
        }
      else
        add_fact (self, r->on_destination, runs,
                  r->on_destination ? _("Found running there after the migration")
                                    : _("Not found running there, although libvirt reported "
                                        "success"));
      if (o->persistence == MW_MIGRATION_PERSISTENCE_MOVE)
        {
          add_fact (self, r->persistent_on_destination, kept,
                    r->persistent_on_destination ? _("It starts there from now on")
                                                 : _("Not defined there: it is gone when it "
                                                     "shuts down"));
          add_fact (self, !r->on_source && !r->defined_on_source, gone,
                    !r->defined_on_source ? _("No longer defined on the source")
                                          : _("Still defined on the source: remove it by hand "
                                              "before starting it there"));
        }
      else
        {
          add_fact (self, TRUE, temp,
                    r->persistent_on_destination ? _("Also defined there")
                                                 : _("Runs there until it shuts down"));
          add_fact (self, r->defined_on_source && !r->on_source, still,
                    _("It starts from the source again next time"));
        }
      show_ping_fact (self, r, dest);
    }
  else
    {
      g_autofree char *still = g_strdup_printf (_("Still running on %s"), source);
      g_autofree char *not_source = g_strdup_printf (_("Not running on %s"), source);
      g_autofree char *not_there = g_strdup_printf (_("Not running on %s"), dest);

      if (offline && !r->on_source)
        {
          /* It did not run before: still defined is what the source should say. */
          g_autofree char *defined = g_strdup_printf (_("Still defined on %s"), source);

          add_fact (self, r->defined_on_source, defined,
                    r->defined_on_source
                    ? _("Checked on the source after the failure: the guest is fine")
                    : _("Look at the source host: the guest is not defined there"));
        }
      else
        add_fact (self, r->on_source, r->on_source ? still : not_source,
                  r->on_source ? _("Checked on the source after the failure: the guest is fine")
                               : _("Look at the source host: the guest is not running there"));
      add_fact (self, !r->on_destination, not_there,
                !r->on_destination ? _("Nothing was left behind on the destination")
                                   : _("A copy runs there too: check both hosts now"));
    }
}

static void
show_figures (MwWizardResultPage         *self,
              const MwMigrationJobResult *r,
              const MwMigrationOptions   *o)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_box))) != NULL)
    gtk_flow_box_remove (self->figures_box, child);

  if (o->mode == MW_MIGRATION_MODE_OFFLINE)
    {
      /* Only the definition moved: no memory was copied, nothing paused or was pinged. */
      add_figure (self, _("Total time"),
                  r->total_ms >= 0 ? mw_format_duration_us (r->total_ms * 1000) : NULL,
                  r->total_ms >= 0 ? _("From the migration call to its return; only the "
                                       "definition moved")
                                   : NULL);
      return;
    }
  /* The report's total: longer than libvirt's record of the job, which starts once the
   * destination's QEMU is up; said, so the two figures are not taken for a contradiction. */
  add_figure (self, _("Total time"),
              r->total_ms >= 0 ? mw_format_duration_us (r->total_ms * 1000) : NULL,
              r->total_ms >= 0 ? _("From the migration call to its return, starting the guest "
                                   "on the destination included")
                               : NULL);
  /* The three downtimes side by side, each with what it measures; an unknown one says why. */
  for (guint kind = 0; kind < MW_N_DOWNTIMES; kind++)
    {
      g_autofree char *why = NULL;

      if (mw_downtime_ms (r, kind) < 0)
        why = mw_downtime_format (r, kind);
      add_figure (self, mw_downtime_caption (kind),
                  why == NULL ? mw_downtime_format (r, kind) : g_strdup (_("Unknown")),
                  why != NULL ? why : mw_downtime_explanation (kind));
    }
  add_figure (self, _("Data sent"), mw_format_bytes (r->data_transferred), NULL);
  add_figure (self, _("Memory passes"), g_strdup_printf ("%u", r->passes), NULL);
  add_figure (self, _("Pings lost"),
              r->longest_ping_gap_us >= 0 ? g_strdup_printf (_("%u of %u"), r->pings_lost,
                                                             r->pings_sent)
                                          : NULL,
              NULL);
}

static void
add_forecast_row (MwWizardResultPage *self,
                  const char         *title,
                  const char         *subtitle,
                  MwForecastMatch     match)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  if (match != MW_FORECAST_UNCHECKED)
    {
      gboolean held = match == MW_FORECAST_HELD;
      GtkWidget *icon = gtk_image_new_from_icon_name (held ? "emblem-ok-symbolic"
                                                           : "dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, held ? "success" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      held ? _("As forecast") : _("Not as forecast"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  gtk_list_box_append (self->forecast_list, row);
}

/* Pre-flight's forecast beside what happened, one row per figure (mw-forecast.h), or one row
 * saying that none was made. */
static void
show_forecast (MwWizardResultPage         *self,
               const MwForecast           *forecast,
               const MwMigrationJobResult *r,
               MwSampleHistory            *history)
{
  MwForecastOutcome outcome;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->forecast_list))) != NULL)
    gtk_list_box_remove (self->forecast_list, child);

  if (forecast == NULL || forecast->verdict == MW_CONVERGENCE_UNKNOWN)
    {
      add_forecast_row (self, _("No Forecast"),
                        _("Pre-flight made no convergence forecast for this migration (an "
                          "offline migration, or the guest’s dirty rate could not be "
                          "measured)."),
                        MW_FORECAST_UNCHECKED);
      return;
    }

  mw_forecast_outcome_from_result (r, history, &outcome);
  for (guint item = 0; item < MW_FORECAST_N_ITEMS; item++)
    {
      g_autofree char *predicted = mw_forecast_format_predicted (forecast, item);
      g_autofree char *actual = mw_forecast_format_actual (&outcome, item);
      /* Translators: the forecast's figure, then what happened ("25–400 ms", "44 ms") */
      g_autofree char *subtitle = g_strdup_printf (_("Forecast: %s. Outcome: %s."),
                                                   predicted != NULL ? predicted : "—",
                                                   actual != NULL ? actual : "—");

      add_forecast_row (self, mw_forecast_item_caption (item), subtitle,
                        mw_forecast_match (forecast, &outcome, item));
    }
}

static void
on_job_finished_cb (MwWizardResultPage *self,
                    MwMigrationJob     *job)
{
  const MwMigrationJobResult *r = mw_migration_job_get_result (job);
  const GError *error = mw_migration_job_get_error (job);
  gboolean ok = r->state == MW_MIGRATION_JOB_STATE_SUCCEEDED;
  const char *details = r->error_message ? r->error_message : error ? error->message : NULL;
  MwSampleHistory *history = mw_migration_job_get_history (job);

  show_heading (self, r, mw_migration_job_get_options (job));
  show_facts (self, r, mw_migration_job_get_options (job));
  show_figures (self, r, mw_migration_job_get_options (job));
  show_forecast (self, mw_migration_job_get_forecast (job), r, history);

  gtk_widget_set_visible (self->advice_group, !ok);
  if (!ok)
    {
      g_autofree char *advice = failure_advice (r, error);

      gtk_label_set_text (self->advice_label, advice);
    }

  gtk_widget_set_visible (self->details_expander, details != NULL);
  gtk_label_set_text (self->details_label, details ? details : "");

  mw_migration_chart_set_history (self->result_chart, history);
  mw_ping_strip_set_pinger (self->result_strip, mw_migration_job_get_pinger (job));
  gtk_widget_set_visible (self->result_chart_card,
                          mw_sample_history_get_n_samples (history) > 0);
}

static void
on_plan_job_cb (MwWizardResultPage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  MwMigrationJob *job = mw_migration_plan_get_job (plan);

  if (job != NULL)
    g_signal_connect_object (job, "finished", G_CALLBACK (on_job_finished_cb), self,
                             G_CONNECT_SWAPPED);
}

/* ---- class ---------------------------------------------------------------------------------- */

/* Nothing comes after the result. */
static gboolean
mw_wizard_result_page_validate (MwWizardPage  *page,
                                char         **reason)
{
  return FALSE;
}

GtkWidget *
mw_wizard_result_page_get_chart_card (MwWizardResultPage *self)
{
  g_return_val_if_fail (MW_IS_WIZARD_RESULT_PAGE (self), NULL);

  return self->result_chart_card;
}

static void
mw_wizard_result_page_constructed (GObject *object)
{
  MwWizardResultPage *self = MW_WIZARD_RESULT_PAGE (object);

  G_OBJECT_CLASS (mw_wizard_result_page_parent_class)->constructed (object);

  g_signal_connect_object (mw_wizard_page_get_plan (MW_WIZARD_PAGE (self)), "notify::job",
                           G_CALLBACK (on_plan_job_cb), self, G_CONNECT_SWAPPED);
  on_plan_job_cb (self);
}

static void
mw_wizard_result_page_class_init (MwWizardResultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_wizard_result_page_constructed;
  MW_WIZARD_PAGE_CLASS (klass)->validate = mw_wizard_result_page_validate;

  g_type_ensure (MW_TYPE_MIGRATION_CHART);
  g_type_ensure (MW_TYPE_PING_STRIP);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/wizard/"
                                               "mw-wizard-result-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MwWizardResultPage, name)
  BIND (result_icon);
  BIND (result_title);
  BIND (result_summary);
  BIND (facts_list);
  BIND (figures_box);
  BIND (forecast_list);
  BIND (advice_group);
  BIND (advice_label);
  BIND (result_chart_card);
  BIND (result_chart);
  BIND (result_strip);
  BIND (details_expander);
  BIND (details_label);
#undef BIND
}

static void
mw_wizard_result_page_init (MwWizardResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The strip shares the chart's time axis, on screen and in the report's PNG. */
  mw_migration_chart_bind_axis (self->result_chart, self->result_strip);
}
