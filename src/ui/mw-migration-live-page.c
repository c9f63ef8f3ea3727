/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-live-page.c: the verdict with its remedies, the chart over the ping strip, and
 * the numbers under them. Everything shown is read from the models on their `changed` and
 * notify signals; nothing here polls or talks to libvirt. */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "mw-core-enums.h"
#include "mw-migration-chart.h"
#include "mw-migration-live-page.h"
#include "mw-ping-strip-private.h"
#include "mw-plot-utils.h"
#include "mw-time-left.h"

typedef enum
{
  STAT_DATA_SENT,
  STAT_PASSES,
  STAT_ELAPSED,
  STAT_TIME_LEFT,
  STAT_THROUGHPUT,
  STAT_DIRTY_RATE,
  STAT_EXPECTED_DOWNTIME,
  STAT_THROTTLE,
  N_STATS
} Stat;

struct _MwMigrationLivePage
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkWidget *scrolled;
  GtkWidget *verdict_box;
  GtkImage *verdict_icon;
  GtkLabel *verdict_title;
  GtkLabel *verdict_message;
  GtkWidget *remedies_list;
  AdwActionRow *raise_downtime_row;
  AdwActionRow *remove_cap_row;
  AdwActionRow *switch_postcopy_row;
  AdwActionRow *restart_auto_converge_row;
  AdwActionRow *restart_postcopy_row;
  AdwActionRow *pause_postcopy_row;
  AdwActionRow *recover_row;
  GtkWidget *chart_card;
  MwMigrationChart *chart;
  MwPingStrip *strip;
  GtkLabel *ping_label;
  GtkFlowBox *stats_box;

  /* Borrowed */
  GtkWidget *verdict_spinner;     /* beside verdict_icon, in its stead while stopping */

  /* Owned */
  MwSampleHistory *history;
  MwPinger *pinger;
  MwConvergence *convergence;
  MwConvergenceContext context;   /* the migration's downtime limit etc., for the time left */
  MwMigrationJobState state;
  gboolean stopping;
  gboolean offline;               /* the options: only the definition moves, the guest is off */
  char *destination_title;
  char *paused_message;
  char *recover_blocker;
  char *test_ping_address;
  gboolean have_test_records;
  MwRemedy shown_remedies;
  GtkLabel *stat_values[N_STATS];
  GtkLabel *stat_captions[N_STATS];
};

enum
{
  PROP_0,
  PROP_HISTORY,
  PROP_PINGER,
  PROP_CONVERGENCE,
  PROP_STATE,
  PROP_PAUSED_MESSAGE,
  PROP_RECOVER_BLOCKER,
  PROP_STOPPING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MwMigrationLivePage, mw_migration_live_page, GTK_TYPE_WIDGET)

/* ---- the verdict ---------------------------------------------------------------------------- */

static const char *verdict_classes[] = { "unknown", "converging", "not-converging", "completing" };

static void
set_verdict (MwMigrationLivePage *self,
             const char          *style,
             const char          *icon_name,
             const char          *title,
             const char          *message)
{
  for (guint i = 0; i < G_N_ELEMENTS (verdict_classes); i++)
    gtk_widget_remove_css_class (self->verdict_box, verdict_classes[i]);
  gtk_widget_add_css_class (self->verdict_box, style);
  /* No icon: the spinner, for what is under way. */
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_icon), icon_name != NULL);
  gtk_widget_set_visible (self->verdict_spinner, icon_name == NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->verdict_spinner), icon_name == NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->verdict_icon, icon_name);
  gtk_label_set_text (self->verdict_title, title);
  gtk_label_set_text (self->verdict_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_message), message != NULL && *message != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message ? message : "",
                                  -1);
}

static void
show_remedy (MwMigrationLivePage *self,
             AdwActionRow        *row,
             MwRemedy             remedy,
             MwRemedy             remedies)
{
  gboolean shown = (remedies & remedy) != 0;

  gtk_widget_set_visible (GTK_WIDGET (row), shown);
  if (shown)
    {
      g_autofree char *text = mw_convergence_describe_remedy (self->convergence, remedy);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
    }
}

static void
update_verdict (MwMigrationLivePage *self)
{
  const MwConvergence *c = self->convergence;
  const char *message = c ? c->message : NULL;
  MwRemedy remedies = MW_REMEDY_NONE;
  gboolean pause_shown = FALSE;
  gboolean recover_shown = FALSE;

  switch (self->state)
    {
    case MW_MIGRATION_JOB_STATE_READY:
    case MW_MIGRATION_JOB_STATE_PREPARING:
      set_verdict (self, "unknown", "content-loading-symbolic", _("Preparing"),
                   _("Connecting to both hosts and starting the ping."));
      break;

    case MW_MIGRATION_JOB_STATE_POSTCOPY:
      {
        g_autofree char *text = NULL;

        /* Two whole sentences: a noun phrase put into the first would need another case in
         * Russian. */
        if (message == NULL && self->destination_title != NULL)
          text = g_strdup_printf (_("The guest already runs on %s and fetches the rest of its "
                                    "memory from the source."), self->destination_title);
        else if (message == NULL)
          text = g_strdup (_("The guest already runs on the destination and fetches the rest of "
                             "its memory from the source."));
        set_verdict (self, "completing", "emblem-synchronizing-symbolic", _("Post-Copy"),
                     text ? text : message);
        pause_shown = TRUE;
        /* In post-copy the job only blocks where no recovery can work: said before it pauses,
         * under the (greyed) Pause. */
        adw_action_row_set_subtitle (self->pause_postcopy_row,
                                     self->recover_blocker != NULL ? self->recover_blocker : "");
      }
      break;

    case MW_MIGRATION_JOB_STATE_POSTCOPY_PAUSED:
      /* Not a failure: nothing is lost while both hosts keep their half. */
      set_verdict (self, "not-converging", "media-playback-pause-symbolic",
                   _("Post-Copy Paused"), self->paused_message);
      recover_shown = TRUE;
      adw_action_row_set_subtitle (self->recover_row,
                                   self->recover_blocker != NULL
                                     ? self->recover_blocker
                                     : _("Both hosts answer: the migration can go on."));
      break;

    case MW_MIGRATION_JOB_STATE_VERIFYING:
      set_verdict (self, "completing", "content-loading-symbolic", _("Checking Both Hosts"),
                   _("The migration call returned; looking where the guest runs now."));
      break;

    case MW_MIGRATION_JOB_STATE_SUCCEEDED:
      set_verdict (self, "converging", "emblem-ok-symbolic", _("Finished"), message);
      break;

    case MW_MIGRATION_JOB_STATE_FAILED:
      set_verdict (self, "not-converging", "dialog-error-symbolic", _("Failed"), NULL);
      break;

    case MW_MIGRATION_JOB_STATE_CANCELLED:
      set_verdict (self, "unknown", "process-stop-symbolic", _("Aborted"), NULL);
      break;

    case MW_MIGRATION_JOB_STATE_RUNNING:
    default:
      /* Still copying: no check mark, which says it worked, until it did. */
      switch (c ? c->verdict : MW_CONVERGENCE_UNKNOWN)
        {
        case MW_CONVERGENCE_CONVERGING:
          set_verdict (self, "converging", "network-transmit-symbolic", _("Converging"), message);
          break;
        case MW_CONVERGENCE_NOT_CONVERGING:
          set_verdict (self, "not-converging", "dialog-warning-symbolic", _("Not Converging"),
                       message);
          remedies = c->remedies;
          break;
        case MW_CONVERGENCE_COMPLETING:
          set_verdict (self, "completing", "network-transmit-symbolic", _("Almost Done"), message);
          break;
        case MW_CONVERGENCE_STALLED:
          set_verdict (self, "not-converging", "dialog-warning-symbolic", _("Stalled"), message);
          break;
        case MW_CONVERGENCE_UNKNOWN:
        default:
          if (self->offline)
            set_verdict (self, "unknown", "content-loading-symbolic",
                         _("Copying the Definition"),
                         _("An offline migration copies no memory, so there are no figures "
                           "to show: the guest is shut off and only its definition moves."));
          else
            set_verdict (self, "unknown", "content-loading-symbolic", _("Measuring"),
                         message ? message
                                 : _("Waiting for the first figures from the migration."));
          break;
        }
      break;
    }

  /* Asked to stop: until the job is over that is what happens, whatever the figures say, and
   * no remedy is offered. */
  if (self->stopping && self->state != MW_MIGRATION_JOB_STATE_SUCCEEDED
      && self->state != MW_MIGRATION_JOB_STATE_FAILED
      && self->state != MW_MIGRATION_JOB_STATE_CANCELLED)
    {
      set_verdict (self, "unknown", NULL, _("Stopping the migration…"),
                   _("libvirt cancels the copy; then both hosts are checked for where the "
                     "guest runs."));
      remedies = MW_REMEDY_NONE;
      pause_shown = FALSE;
      recover_shown = FALSE;
    }

  show_remedy (self, self->raise_downtime_row, MW_REMEDY_RAISE_DOWNTIME, remedies);
  show_remedy (self, self->remove_cap_row, MW_REMEDY_REMOVE_BANDWIDTH_CAP, remedies);
  show_remedy (self, self->switch_postcopy_row, MW_REMEDY_SWITCH_TO_POSTCOPY, remedies);
  show_remedy (self, self->restart_auto_converge_row, MW_REMEDY_RESTART_AUTO_CONVERGE, remedies);
  show_remedy (self, self->restart_postcopy_row, MW_REMEDY_RESTART_POSTCOPY, remedies);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_postcopy_row), pause_shown);
  gtk_widget_set_visible (GTK_WIDGET (self->recover_row), recover_shown);
  gtk_widget_set_visible (self->remedies_list,
                          remedies != MW_REMEDY_NONE || pause_shown || recover_shown);
  self->shown_remedies = remedies;
}

/* ---- the numbers ---------------------------------------------------------------------------- */

static void
set_stat (MwMigrationLivePage *self,
          Stat                 stat,
          char                *value)   /* transfer full, may be NULL for "—" */
{
  gtk_label_set_text (self->stat_values[stat], value ? value : "—");
  g_free (value);
}

static void
update_time_left (MwMigrationLivePage *self)
{
  const MwConvergence *c = self->convergence;
  g_autoptr(MwTimeLeft) left = NULL;
  g_autofree char *why = NULL;

  /* Before or after the call, what is left to copy has no time: no stale estimate. */
  if (self->state != MW_MIGRATION_JOB_STATE_RUNNING
      && self->state != MW_MIGRATION_JOB_STATE_POSTCOPY)
    {
      set_stat (self, STAT_TIME_LEFT, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->stat_values[STAT_TIME_LEFT]), NULL);
      return;
    }

  left = mw_time_left_estimate (self->history, &self->context);
  if (left->kind == MW_TIME_LEFT_NEVER)
    {
      why = mw_time_left_describe_never (left);
      set_stat (self, STAT_TIME_LEFT, g_strdup (_("Cannot finish at this rate")));
    }
  else if (c != NULL && c->verdict == MW_CONVERGENCE_COMPLETING && left->remaining_us < 0)
    set_stat (self, STAT_TIME_LEFT, g_strdup (_("Almost done")));
  else
    set_stat (self, STAT_TIME_LEFT, g_strdup (left->text));
  /* What would help, where the figure says it cannot finish. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stat_values[STAT_TIME_LEFT]), why);
}

static void
update_stats (MwMigrationLivePage *self)
{
  const MwJobSample *last = self->history ? mw_sample_history_get_last (self->history) : NULL;

  if (last == NULL)
    {
      for (guint i = 0; i < N_STATS; i++)
        set_stat (self, i, NULL);
      return;
    }

  {
    guint64 total = last->data_total ? last->data_total : last->memory_total;
    guint64 sent = last->data_total ? last->data_processed : last->memory_processed;
    g_autofree char *sent_text = mw_format_bytes (sent);
    g_autofree char *total_text = mw_format_bytes (total);

    if (total == 0)
      set_stat (self, STAT_DATA_SENT, g_steal_pointer (&sent_text));
    else if (sent <= total)
      /* Translators: data sent so far "of" the total, "1.2 GiB of 4.0 GiB" */
      set_stat (self, STAT_DATA_SENT, g_strdup_printf (_("%s of %s"), sent_text, total_text));
    else
      /* Translators: more than the total was sent, since pages dirtied meanwhile are sent
       * again: "6.6 GiB, 1.6× the 4.0 GiB" */
      set_stat (self, STAT_DATA_SENT, g_strdup_printf (_("%s, %.1f× the %s"), sent_text,
                                                       (double) sent / (double) total,
                                                       total_text));
  }

  /* The history's passes, not the last sample's: an iteration event can come between samples,
   * and the result page and the report show the same figure. */
  set_stat (self, STAT_PASSES, mw_sample_history_get_passes (self->history) > 0
                                 ? g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                    mw_sample_history_get_passes (self->history))
                                 : NULL);
  set_stat (self, STAT_ELAPSED, mw_format_duration_us (mw_sample_history_get_end_us (self->history)));

  update_time_left (self);

  set_stat (self, STAT_THROUGHPUT, (last->have & MW_JOB_HAVE_THROUGHPUT)
                                     ? mw_format_rate (last->memory_bps) : NULL);
  set_stat (self, STAT_DIRTY_RATE, (last->have & MW_JOB_HAVE_DIRTY_RATE) && last->dirty_rate_bps > 0
                                     ? mw_format_rate (last->dirty_rate_bps)
                                     : g_strdup (_("Not measured yet")));
  set_stat (self, STAT_EXPECTED_DOWNTIME,
            (last->have & MW_JOB_HAVE_EXPECTED_DOWNTIME)
              ? mw_format_duration_us ((gint64) last->expected_downtime_ms * 1000) : NULL);
  set_stat (self, STAT_THROTTLE,
            (last->have & MW_JOB_HAVE_THROTTLE) && last->auto_converge_throttle > 0
              /* Translators: how much auto-converge slows the guest's vCPUs */
              ? g_strdup_printf (_("%u %% slower"), last->auto_converge_throttle)
              : g_strdup (_("None")));
}

static void
update_ping_label (MwMigrationLivePage *self)
{
  const char *address = self->have_test_records ? self->test_ping_address
                        : self->pinger ? mw_pinger_get_address (self->pinger) : NULL;
  g_autofree char *text = NULL;

  if (address == NULL)
    text = g_strdup (_("No guest address was given, so nothing is pinged."));
  else
    /* Translators: the guest's address, then "Ping: 12 sent, 12 replied, 0 lost." */
    text = g_strdup_printf (_("%s — %s"), address, mw_ping_strip_get_summary (self->strip));

  gtk_label_set_text (self->ping_label, text);
}

static void
on_history_changed_cb (MwMigrationLivePage *self)
{
  update_stats (self);
}

/* ---- properties ----------------------------------------------------------------------------- */

MwSampleHistory *
mw_migration_live_page_get_history (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return self->history;
}

void
mw_migration_live_page_set_history (MwMigrationLivePage *self,
                                    MwSampleHistory     *history)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));
  g_return_if_fail (history == NULL || MW_IS_SAMPLE_HISTORY (history));

  if (!mw_plot_watch_model (GTK_WIDGET (self), &self->history, history,
                            G_CALLBACK (on_history_changed_cb)))
    return;

  mw_migration_chart_set_history (self->chart, history);
  update_stats (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

MwPinger *
mw_migration_live_page_get_pinger (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return self->pinger;
}

void
mw_migration_live_page_set_pinger (MwMigrationLivePage *self,
                                   MwPinger            *pinger)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));
  g_return_if_fail (pinger == NULL || MW_IS_PINGER (pinger));

  if (!g_set_object (&self->pinger, pinger))
    return;

  mw_ping_strip_set_pinger (self->strip, pinger);
  update_ping_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINGER]);
}

const MwConvergence *
mw_migration_live_page_get_convergence (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return self->convergence;
}

void
mw_migration_live_page_set_convergence (MwMigrationLivePage *self,
                                        const MwConvergence *convergence)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  if (self->convergence == convergence)
    return;

  g_clear_pointer (&self->convergence, mw_convergence_free);
  if (convergence != NULL)
    self->convergence = mw_convergence_copy (convergence);

  update_verdict (self);
  update_stats (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERGENCE]);
}

void
mw_migration_live_page_set_options (MwMigrationLivePage      *self,
                                    const MwMigrationOptions *options)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  mw_convergence_context_init_from_options (&self->context, options);
  self->offline = options != NULL && options->mode == MW_MIGRATION_MODE_OFFLINE;
  /* Offline, no memory is copied and the guest is off: no chart, ping or figures to wait for. */
  gtk_widget_set_visible (self->chart_card, !self->offline);
  gtk_widget_set_visible (GTK_WIDGET (self->stats_box), !self->offline);
  update_stats (self);
  update_verdict (self);
}

const char *
mw_migration_live_page_get_time_left (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return gtk_label_get_text (self->stat_values[STAT_TIME_LEFT]);
}

const char *
mw_migration_live_page_get_passes (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return gtk_label_get_text (self->stat_values[STAT_PASSES]);
}

MwMigrationJobState
mw_migration_live_page_get_state (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), MW_MIGRATION_JOB_STATE_READY);

  return self->state;
}

void
mw_migration_live_page_set_state (MwMigrationLivePage *self,
                                  MwMigrationJobState  state)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  if (self->state == state)
    return;

  self->state = state;
  update_verdict (self);
  update_stats (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
mw_migration_live_page_get_stopping (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), FALSE);

  return self->stopping;
}

void
mw_migration_live_page_set_stopping (MwMigrationLivePage *self,
                                     gboolean             stopping)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  stopping = !!stopping;
  if (self->stopping == stopping)
    return;

  self->stopping = stopping;
  update_verdict (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPING]);
}

static void
set_string (MwMigrationLivePage *self,
            char               **field,
            const char          *value,
            GParamSpec          *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  update_verdict (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

void
mw_migration_live_page_set_paused_message (MwMigrationLivePage *self,
                                           const char          *message)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  set_string (self, &self->paused_message, message, properties[PROP_PAUSED_MESSAGE]);
}

void
mw_migration_live_page_set_recover_blocker (MwMigrationLivePage *self,
                                            const char          *blocker)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  set_string (self, &self->recover_blocker, blocker, properties[PROP_RECOVER_BLOCKER]);
}

void
mw_migration_live_page_set_destination_title (MwMigrationLivePage *self,
                                              const char          *title)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  g_free (self->destination_title);
  self->destination_title = g_strdup (title);
  update_verdict (self);
}

MwRemedy
mw_migration_live_page_get_shown_remedies (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), MW_REMEDY_NONE);

  return self->shown_remedies;
}

const char *
mw_migration_live_page_get_verdict_title (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return gtk_label_get_text (self->verdict_title);
}

GtkWidget *
mw_migration_live_page_get_chart_card (MwMigrationLivePage *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self), NULL);

  return self->chart_card;
}

void
mw_migration_live_page_set_test_ping_records (MwMigrationLivePage *self,
                                              const char          *address,
                                              const MwPingRecord  *records,
                                              guint                n_records)
{
  g_return_if_fail (MW_IS_MIGRATION_LIVE_PAGE (self));

  g_free (self->test_ping_address);
  self->test_ping_address = g_strdup (address);
  self->have_test_records = records != NULL;
  mw_ping_strip_set_test_records (self->strip, records, n_records);
  update_ping_label (self);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
add_stat (MwMigrationLivePage *self,
          Stat                 stat,
          const char          *caption)
{
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (value), 0.0);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (value, "stat-value");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "stat");
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), box);
  gtk_flow_box_append (self->stats_box, child);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);

  self->stat_values[stat] = GTK_LABEL (value);
  self->stat_captions[stat] = GTK_LABEL (label);
}

static void
mw_migration_live_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  MwMigrationLivePage *self = MW_MIGRATION_LIVE_PAGE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_PINGER:
      g_value_set_object (value, self->pinger);
      break;
    case PROP_CONVERGENCE:
      g_value_set_boxed (value, self->convergence);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PAUSED_MESSAGE:
      g_value_set_string (value, self->paused_message);
      break;
    case PROP_RECOVER_BLOCKER:
      g_value_set_string (value, self->recover_blocker);
      break;
    case PROP_STOPPING:
      g_value_set_boolean (value, self->stopping);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_live_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  MwMigrationLivePage *self = MW_MIGRATION_LIVE_PAGE (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      mw_migration_live_page_set_history (self, g_value_get_object (value));
      break;
    case PROP_PINGER:
      mw_migration_live_page_set_pinger (self, g_value_get_object (value));
      break;
    case PROP_CONVERGENCE:
      mw_migration_live_page_set_convergence (self, g_value_get_boxed (value));
      break;
    case PROP_STATE:
      mw_migration_live_page_set_state (self, g_value_get_enum (value));
      break;
    case PROP_PAUSED_MESSAGE:
      mw_migration_live_page_set_paused_message (self, g_value_get_string (value));
      break;
    case PROP_RECOVER_BLOCKER:
      mw_migration_live_page_set_recover_blocker (self, g_value_get_string (value));
      break;
    case PROP_STOPPING:
      mw_migration_live_page_set_stopping (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_live_page_dispose (GObject *object)
{
  MwMigrationLivePage *self = MW_MIGRATION_LIVE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MW_TYPE_MIGRATION_LIVE_PAGE);

  mw_plot_watch_model (GTK_WIDGET (self), &self->history, NULL,
                       G_CALLBACK (on_history_changed_cb));
  g_clear_object (&self->pinger);

  G_OBJECT_CLASS (mw_migration_live_page_parent_class)->dispose (object);
}

static void
mw_migration_live_page_finalize (GObject *object)
{
  MwMigrationLivePage *self = MW_MIGRATION_LIVE_PAGE (object);

  g_clear_pointer (&self->convergence, mw_convergence_free);
  g_free (self->destination_title);
  g_free (self->paused_message);
  g_free (self->recover_blocker);
  g_free (self->test_ping_address);

  G_OBJECT_CLASS (mw_migration_live_page_parent_class)->finalize (object);
}

static void
mw_migration_live_page_class_init (MwMigrationLivePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mw_migration_live_page_dispose;
  object_class->finalize = mw_migration_live_page_finalize;
  object_class->get_property = mw_migration_live_page_get_property;
  object_class->set_property = mw_migration_live_page_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, MW_TYPE_SAMPLE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PINGER] =
    g_param_spec_object ("pinger", NULL, NULL, MW_TYPE_PINGER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERGENCE] =
    g_param_spec_boxed ("convergence", NULL, NULL, MW_TYPE_CONVERGENCE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_MIGRATION_JOB_STATE,
                       MW_MIGRATION_JOB_STATE_READY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A post-copy that broke off: the banner's words, and why Recover waits (NULL: it does
   * not). */
  properties[PROP_PAUSED_MESSAGE] =
    g_param_spec_string ("paused-message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECOVER_BLOCKER] =
    g_param_spec_string ("recover-blocker", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The user asked to stop the migration and the job is not over yet. */
  properties[PROP_STOPPING] =
    g_param_spec_boolean ("stopping", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MW_TYPE_MIGRATION_CHART);
  g_type_ensure (MW_TYPE_PING_STRIP);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/MigWizard/mw-migration-live-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, verdict_message);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, remedies_list);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, raise_downtime_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, remove_cap_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, switch_postcopy_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage,
                                        restart_auto_converge_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, restart_postcopy_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, pause_postcopy_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, recover_row);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, chart_card);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, chart);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, strip);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, ping_label);
  gtk_widget_class_bind_template_child (widget_class, MwMigrationLivePage, stats_box);
  gtk_widget_class_bind_template_callback (widget_class, update_ping_label);
}

static void
mw_migration_live_page_init (MwMigrationLivePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The icon's size (GTK_ICON_SIZE_LARGE), in the icon's place. */
  self->verdict_spinner = gtk_spinner_new ();
  gtk_widget_set_size_request (self->verdict_spinner, 32, 32);
  gtk_widget_set_valign (self->verdict_spinner, GTK_ALIGN_START);
  gtk_widget_set_visible (self->verdict_spinner, FALSE);
  gtk_widget_insert_before (self->verdict_spinner,
                            gtk_widget_get_parent (GTK_WIDGET (self->verdict_icon)),
                            GTK_WIDGET (self->verdict_icon));

  add_stat (self, STAT_DATA_SENT, _("Data sent"));
  add_stat (self, STAT_PASSES, _("Memory passes"));
  add_stat (self, STAT_ELAPSED, _("Elapsed"));
  add_stat (self, STAT_TIME_LEFT, _("Estimated time left"));
  add_stat (self, STAT_THROUGHPUT, _("Throughput"));
  add_stat (self, STAT_DIRTY_RATE, _("Dirty rate"));
  add_stat (self, STAT_EXPECTED_DOWNTIME, _("Expected downtime"));
  add_stat (self, STAT_THROTTLE, _("Auto-converge throttle"));

  /* The strip shares the chart's time axis. */
  mw_migration_chart_bind_axis (self->chart, self->strip);

  self->state = MW_MIGRATION_JOB_STATE_READY;
  update_verdict (self);
  update_stats (self);
  update_ping_label (self);
}
