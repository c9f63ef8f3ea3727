/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-checks-page.c: one MwPreflight (its checks run in workers; the view fills in as they
 * finish) replaced each time the page is shown, and the "Ready to Migrate" summary kept from the
 * plan. */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "mw-preflight-view.h"
#include "mw-wizard-checks-page.h"

struct _MwWizardChecksPage
{
  MwWizardPage parent_instance;

  /* Template widgets */
  GtkWidget *checks_box;
  AdwActionRow *summary_domain_row;
  AdwActionRow *summary_from_row;
  AdwActionRow *summary_to_row;
  AdwActionRow *summary_mode_row;
  AdwActionRow *summary_bandwidth_row;
  AdwActionRow *summary_safety_row;
  GtkWidget *summary_safety_icon;
  AdwActionRow *summary_ping_row;

  /* Owned */
  MwPreflight *preflight;            /* checks for the current destination and options */

  /* Borrowed */
  GtkWidget *preflight_view;         /* in checks_box */
};

G_DEFINE_FINAL_TYPE (MwWizardChecksPage, mw_wizard_checks_page, MW_TYPE_WIZARD_PAGE)

static void
set_summary (AdwActionRow *row,
             const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

static void
show_summary (MwWizardChecksPage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  const MwMigrationOptions *o = mw_migration_plan_get_options (plan);
  const char *ping = mw_migration_plan_get_ping_address (plan);
  g_autofree char *how = NULL;
  g_autofree char *bandwidth = NULL;

  how = g_strdup_printf ("%s · %s · %s",
                         o->mode == MW_MIGRATION_MODE_LIVE ? _("Live") : _("Offline"),
                         o->persistence == MW_MIGRATION_PERSISTENCE_MOVE ? _("move for good")
                                                                         : _("temporary move"),
                         o->storage == MW_MIGRATION_STORAGE_SHARED ? _("shared storage")
                         : o->storage == MW_MIGRATION_STORAGE_COPY_ALL ? _("copy all disks")
                                                                       : _("copy changed disks"));
  set_summary (self->summary_domain_row, mw_domain_get_name (mw_migration_plan_get_domain (plan)));
  set_summary (self->summary_from_row, mw_migration_plan_get_source_title (plan));
  set_summary (self->summary_to_row, mw_migration_plan_get_destination_title (plan));
  set_summary (self->summary_mode_row, how);

  bandwidth = o->bandwidth_mib_s == 0 ? g_strdup (_("Unlimited"))
                                      : g_strdup_printf (_("%.0f MiB/s"),
                                                         (double) o->bandwidth_mib_s);
  set_summary (self->summary_bandwidth_row, bandwidth);
  /* libvirt's safety check (qemuMigrationSrcIsSafe) runs neither with Unsafe nor offline,
   * and leaves out the disks it copies. */
  set_summary (self->summary_safety_row,
               o->unsafe ? _("Skipped (Unsafe is on): libvirt does not check that the disks are "
                             "shared and safely cached.")
               : o->mode == MW_MIGRATION_MODE_OFFLINE
               ? _("None: only the definition moves, so libvirt does not check the disks.")
               : o->storage != MW_MIGRATION_STORAGE_SHARED
               ? _("libvirt checks that the disks it does not copy are shared and safely cached.")
               : _("libvirt checks that the disks are shared and safely cached."));
  gtk_widget_set_visible (self->summary_safety_icon, o->unsafe);
  set_summary (self->summary_ping_row, ping ? ping : _("No ping"));
}

static void
on_plan_changed_cb (MwWizardChecksPage *self)
{
  show_summary (self);
  mw_wizard_page_revalidate (MW_WIZARD_PAGE (self));
}

static void
clear_preflight (MwWizardChecksPage *self)
{
  if (self->preflight != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->preflight, self);
      mw_preflight_cancel (self->preflight);
    }
  if (self->preflight_view != NULL)
    gtk_box_remove (GTK_BOX (self->checks_box), self->preflight_view);
  self->preflight_view = NULL;
  g_clear_object (&self->preflight);
}

/* Checks run anew each time the page is shown: the destination or the options may have
 * changed, and so may the hosts. */
static void
run_preflight (MwWizardChecksPage *self)
{
  MwMigrationPlan *plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  MwConnection *destination = mw_migration_plan_get_destination (plan);

  if (destination == NULL || mw_migration_plan_get_job (plan) != NULL)
    return;

  clear_preflight (self);
  self->preflight = mw_preflight_new (mw_connection_get_uri (mw_migration_plan_get_source (plan)),
                                      mw_connection_get_uri (destination),
                                      mw_domain_get_name (mw_migration_plan_get_domain (plan)),
                                      mw_migration_plan_get_options (plan));
  g_signal_connect_swapped (self->preflight, "notify::running",
                            G_CALLBACK (mw_wizard_page_revalidate), self);
  g_signal_connect_swapped (self->preflight, "notify::n-blocking",
                            G_CALLBACK (mw_wizard_page_revalidate), self);
  self->preflight_view = mw_preflight_view_new (self->preflight);
  gtk_box_append (GTK_BOX (self->checks_box), self->preflight_view);
  mw_preflight_run (self->preflight);
  mw_wizard_page_revalidate (MW_WIZARD_PAGE (self));
}

/* ---- MwWizardPage --------------------------------------------------------------------------- */

/* Migrate waits for the checks, and refuses while one blocks (a fix, or another option such as
 * unsafe or copy storage, clears it). */
static gboolean
mw_wizard_checks_page_validate (MwWizardPage  *page,
                                char         **reason)
{
  MwWizardChecksPage *self = MW_WIZARD_CHECKS_PAGE (page);
  MwMigrationPlan *plan = mw_wizard_page_get_plan (page);

  return mw_migration_plan_get_destination (plan) != NULL &&
         mw_migration_plan_get_validation_message (plan) == NULL &&
         self->preflight != NULL &&
         !mw_preflight_get_running (self->preflight) &&
         mw_preflight_get_n_blocking (self->preflight) == 0;
}

/* Migrate: the forecast of the checks the user saw goes with the plan to the job. */
static void
mw_wizard_checks_page_commit (MwWizardPage *page)
{
  MwWizardChecksPage *self = MW_WIZARD_CHECKS_PAGE (page);

  mw_migration_plan_set_forecast (mw_wizard_page_get_plan (page),
                                  self->preflight != NULL
                                    ? mw_preflight_get_forecast (self->preflight)
                                    : NULL);
}

static void
mw_wizard_checks_page_shown (MwWizardPage *page)
{
  MwWizardChecksPage *self = MW_WIZARD_CHECKS_PAGE (page);

  show_summary (self);
  run_preflight (self);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_wizard_checks_page_constructed (GObject *object)
{
  MwWizardChecksPage *self = MW_WIZARD_CHECKS_PAGE (object);
  MwMigrationPlan *plan;
  const char *watched[] = { "notify::destination", "notify::options", "notify::ping-address",
                            "notify::validation-message" };

  G_OBJECT_CLASS (mw_wizard_checks_page_parent_class)->constructed (object);

  plan = mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    g_signal_connect_object (plan, watched[i], G_CALLBACK (on_plan_changed_cb), self,
                             G_CONNECT_SWAPPED);
  on_plan_changed_cb (self);
}

static void
mw_wizard_checks_page_dispose (GObject *object)
{
  MwWizardChecksPage *self = MW_WIZARD_CHECKS_PAGE (object);

  clear_preflight (self);

  G_OBJECT_CLASS (mw_wizard_checks_page_parent_class)->dispose (object);
}

static void
mw_wizard_checks_page_class_init (MwWizardChecksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwWizardPageClass *page_class = MW_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = mw_wizard_checks_page_constructed;
  object_class->dispose = mw_wizard_checks_page_dispose;
  page_class->validate = mw_wizard_checks_page_validate;
  page_class->shown = mw_wizard_checks_page_shown;
  page_class->commit = mw_wizard_checks_page_commit;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/wizard/"
                                               "mw-wizard-checks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, checks_box);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_domain_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_from_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_to_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_mode_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_bandwidth_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_safety_row);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_safety_icon);
  gtk_widget_class_bind_template_child (widget_class, MwWizardChecksPage, summary_ping_row);
}

static void
mw_wizard_checks_page_init (MwWizardChecksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
