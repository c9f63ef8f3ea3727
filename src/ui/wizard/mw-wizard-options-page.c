/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-wizard-options-page.c: the option rows, read into the plan on each change (one direction
 * at a time: writing the plan's options back into the rows is guarded), and what the core says
 * of them: explain () under each row, the plan's validation message or the warnings in the
 * banner, and the equivalent command. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include <adwaita.h>

#include "mw-migration-caps.h"
#include "mw-migration-policy.h"
#include "mw-uri.h"
#include "mw-wizard-options-page.h"
#include "mw-wizard-ping-group.h"

struct _MwWizardOptionsPage
{
  MwWizardPage parent_instance;

  /* Template widgets */
  GtkRevealer *options_banner;
  GtkWidget *options_banner_box;
  GtkImage *options_banner_icon;
  GtkLabel *options_banner_label;
  AdwActionRow *policy_row;
  AdwActionRow *mode_row;
  GtkDropDown *mode_drop;
  AdwActionRow *persistence_row;
  GtkDropDown *persistence_drop;
  AdwActionRow *storage_row;
  GtkDropDown *storage_drop;
  AdwActionRow *downtime_row;
  GtkSpinButton *downtime_spin;
  AdwActionRow *bandwidth_row;
  GtkSpinButton *bandwidth_spin;
  AdwActionRow *auto_converge_row;
  GtkSwitch *auto_converge_switch;
  AdwActionRow *postcopy_row;
  GtkSwitch *postcopy_switch;
  AdwActionRow *compression_row;
  GtkDropDown *compression_drop;
  AdwActionRow *parallel_row;
  GtkSpinButton *parallel_spin;
  AdwActionRow *zerocopy_row;
  GtkSwitch *zerocopy_switch;
  AdwActionRow *connection_row;
  GtkDropDown *connection_drop;
  AdwActionRow *tls_row;
  GtkSwitch *tls_switch;
  AdwActionRow *unsafe_row;
  GtkSwitch *unsafe_switch;
  MwWizardPingGroup *ping_group;
  GtkLabel *virsh_label;

  /* Owned */
  MwMigrationCaps *caps;             /* what this pair can do; NULL until read */
  char *policy_hint;                 /* the policy row's subtitle before it is applied */
  GCancellable *caps_cancellable;
  GCancellable *recommend_cancellable; /* the dirty rate being measured for the policy */

  gboolean transport_chosen;         /* the user picked the transport: defaults keep off it */
  gboolean syncing;                  /* the rows are being set from the plan */
};

G_DEFINE_FINAL_TYPE (MwWizardOptionsPage, mw_wizard_options_page, MW_TYPE_WIZARD_PAGE)

static MwMigrationPlan *
get_plan (MwWizardOptionsPage *self)
{
  return mw_wizard_page_get_plan (MW_WIZARD_PAGE (self));
}

static void
set_explanation (MwWizardOptionsPage *self,
                 gpointer             row,
                 MwMigrationOption    option)
{
  const MwMigrationOptions *options = mw_migration_plan_get_options (get_plan (self));
  g_autofree char *escaped =
    g_markup_escape_text (mw_migration_options_explain (options, option), -1);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
}

static void
set_banner (MwWizardOptionsPage *self,
            const char          *text,
            const char          *style)
{
  gtk_widget_remove_css_class (self->options_banner_box, "error");
  gtk_widget_remove_css_class (self->options_banner_box, "warning");
  if (text != NULL)
    {
      gtk_widget_add_css_class (self->options_banner_box, style);
      gtk_image_set_from_icon_name (self->options_banner_icon,
                                    g_str_equal (style, "error") ? "dialog-error-symbolic"
                                                                 : "dialog-warning-symbolic");
      gtk_label_set_text (self->options_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->options_banner, text != NULL);
}

static void
read_options (MwWizardOptionsPage *self,
              MwMigrationOptions  *o)
{
  o->mode = gtk_drop_down_get_selected (self->mode_drop);
  o->persistence = gtk_drop_down_get_selected (self->persistence_drop);
  o->storage = gtk_drop_down_get_selected (self->storage_drop);
  o->max_downtime_ms = (guint) gtk_spin_button_get_value_as_int (self->downtime_spin);
  o->bandwidth_mib_s = (guint) gtk_spin_button_get_value_as_int (self->bandwidth_spin);
  o->auto_converge = gtk_switch_get_active (self->auto_converge_switch);
  o->postcopy = gtk_switch_get_active (self->postcopy_switch);
  o->compression = gtk_drop_down_get_selected (self->compression_drop);
  o->parallel_connections = (guint) gtk_spin_button_get_value_as_int (self->parallel_spin);
  o->zerocopy = gtk_switch_get_active (self->zerocopy_switch);
  o->connection = gtk_drop_down_get_selected (self->connection_drop);
  o->tls = gtk_switch_get_active (self->tls_switch);
  o->unsafe = gtk_switch_get_active (self->unsafe_switch);
}

static void
write_options_to_widgets (MwWizardOptionsPage *self)
{
  const MwMigrationOptions *o = mw_migration_plan_get_options (get_plan (self));

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->mode_drop, o->mode);
  gtk_drop_down_set_selected (self->persistence_drop, o->persistence);
  gtk_drop_down_set_selected (self->storage_drop, o->storage);
  gtk_spin_button_set_value (self->downtime_spin, o->max_downtime_ms);
  gtk_spin_button_set_value (self->bandwidth_spin, o->bandwidth_mib_s);
  gtk_switch_set_active (self->auto_converge_switch, o->auto_converge);
  gtk_switch_set_active (self->postcopy_switch, o->postcopy);
  gtk_drop_down_set_selected (self->compression_drop, o->compression);
  gtk_spin_button_set_value (self->parallel_spin, o->parallel_connections);
  gtk_switch_set_active (self->zerocopy_switch, o->zerocopy);
  gtk_drop_down_set_selected (self->connection_drop, o->connection);
  gtk_switch_set_active (self->tls_switch, o->tls);
  gtk_switch_set_active (self->unsafe_switch, o->unsafe);
  self->syncing = FALSE;
}

/* A command line wraps between its words only: "--persistent" or a URI broken across two lines
 * reads as two words and is copied by hand wrongly. A word longer than this many bytes (a long
 * URI) may still break, so the label never asks for more width than a narrow window has. */
#define MAX_UNBROKEN_WORD 64

static void
set_command_text (GtkLabel   *label,
                  const char *text)
{
  PangoAttrList *attributes = pango_attr_list_new ();
  const char *word = text;

  while (*word != '\0')
    {
      gsize length = strcspn (word, " \n");

      if (length > 1 && length <= MAX_UNBROKEN_WORD)
        {
          PangoAttribute *attribute = pango_attr_allow_breaks_new (FALSE);

          attribute->start_index = word - text;
          attribute->end_index = word - text + length;
          pango_attr_list_insert (attributes, attribute);
        }
      word += length;
      word += strspn (word, " \n");
    }

  gtk_label_set_text (label, text);
  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

/* An option this pair cannot do: its control greyed (unless it is on, so it can be turned
 * off), the reason under the row and in its tooltip. TRUE when greyed. */
static gboolean
grey_unsupported (MwWizardOptionsPage *self,
                  AdwActionRow        *row,
                  GtkWidget           *control,
                  gboolean             on,
                  MwMigrationFeature   feature)
{
  g_autofree char *why = self->caps != NULL ? mw_migration_caps_why_not (self->caps, feature)
                                            : NULL;
  g_autofree char *escaped = NULL;

  gtk_widget_set_sensitive (control, why == NULL || on);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), why);
  if (why == NULL)
    return FALSE;
  escaped = g_markup_escape_text (why, -1);
  adw_action_row_set_subtitle (row, escaped);
  return TRUE;
}

/* Post-copy works on this pair; recovering one that breaks off may not (the destination's
 * libvirt): said under the row before it is chosen, and in its tooltip. */
static void
note_postcopy_recovery (MwWizardOptionsPage      *self,
                        const MwMigrationOptions *options)
{
  g_autofree char *why = self->caps != NULL
                           ? mw_migration_caps_why_no_postcopy_recovery (self->caps) : NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->postcopy_row), why);
  if (why == NULL)
    return;
  text = g_markup_printf_escaped ("%s\n%s",
                                  mw_migration_options_explain (options,
                                                                MW_MIGRATION_OPTION_POSTCOPY),
                                  why);
  adw_action_row_set_subtitle (self->postcopy_row, text);
}

/* The compression methods this pair lacks, one line each, in the row's tooltip; the selected
 * one's reason under the row. */
static void
grey_compression (MwWizardOptionsPage *self,
                  MwMigrationCompression selected)
{
  const struct
  {
    MwMigrationCompression method;
    MwMigrationFeature feature;
    const char *name;
  } methods[] = {
    { MW_MIGRATION_COMPRESSION_MT, MW_MIGRATION_FEATURE_MT, "mt" },
    { MW_MIGRATION_COMPRESSION_ZLIB, MW_MIGRATION_FEATURE_ZLIB, "zlib" },
    { MW_MIGRATION_COMPRESSION_ZSTD, MW_MIGRATION_FEATURE_ZSTD, "zstd" },
  };
  g_autoptr(GString) tooltip = g_string_new (NULL);

  for (guint i = 0; self->caps != NULL && i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *why = mw_migration_caps_why_not (self->caps, methods[i].feature);

      if (why == NULL)
        continue;
      if (tooltip->len > 0)
        g_string_append_c (tooltip, '\n');
      /* Translators: a compression method ("zstd") and why this pair cannot use it. */
      g_string_append_printf (tooltip, _("%s: %s"), methods[i].name, why);
      if (methods[i].method == selected)
        {
          g_autofree char *escaped = g_markup_escape_text (why, -1);

          adw_action_row_set_subtitle (self->compression_row, escaped);
        }
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->compression_row),
                               tooltip->len > 0 ? tooltip->str : NULL);
}

/* What the core says of the plan's options, under the rows and in the banner. */
static void
show_verdicts (MwWizardOptionsPage *self)
{
  MwMigrationPlan *plan = get_plan (self);
  const char *validation_message = mw_migration_plan_get_validation_message (plan);
  const char *virsh_text = mw_migration_plan_get_virsh_text (plan);
  g_auto(GStrv) warnings = NULL;

  set_explanation (self, self->mode_row, MW_MIGRATION_OPTION_MODE);
  set_explanation (self, self->persistence_row, MW_MIGRATION_OPTION_PERSISTENCE);
  set_explanation (self, self->storage_row, MW_MIGRATION_OPTION_STORAGE);
  set_explanation (self, self->downtime_row, MW_MIGRATION_OPTION_MAX_DOWNTIME);
  set_explanation (self, self->bandwidth_row, MW_MIGRATION_OPTION_BANDWIDTH);
  set_explanation (self, self->auto_converge_row, MW_MIGRATION_OPTION_AUTO_CONVERGE);
  set_explanation (self, self->postcopy_row, MW_MIGRATION_OPTION_POSTCOPY);
  set_explanation (self, self->compression_row, MW_MIGRATION_OPTION_COMPRESSION);
  set_explanation (self, self->connection_row, MW_MIGRATION_OPTION_CONNECTION);
  set_explanation (self, self->tls_row, MW_MIGRATION_OPTION_TLS);
  set_explanation (self, self->unsafe_row, MW_MIGRATION_OPTION_UNSAFE);
  set_explanation (self, self->parallel_row, MW_MIGRATION_OPTION_PARALLEL);
  set_explanation (self, self->zerocopy_row, MW_MIGRATION_OPTION_ZEROCOPY);

  {
    const MwMigrationOptions *o = mw_migration_plan_get_options (plan);

    if (!grey_unsupported (self, self->parallel_row, GTK_WIDGET (self->parallel_spin),
                           o->parallel_connections != 0, MW_MIGRATION_FEATURE_PARALLEL)
        && self->caps != NULL && o->parallel_connections == 0)
      {
        g_autofree char *why = NULL;
        g_autofree char *text = NULL;

        /* The configured cap is the link figure the page has; none: not known. */
        mw_migration_caps_default_parallel (self->caps,
                                            (guint64) o->bandwidth_mib_s * 1024 * 1024, &why);
        /* Translators: the option's explanation, then the suggested number and why. */
        text = g_markup_printf_escaped (_("%s Suggested: %s"),
                                        mw_migration_options_explain (o,
                                                                      MW_MIGRATION_OPTION_PARALLEL),
                                        why);
        adw_action_row_set_subtitle (self->parallel_row, text);
      }
    grey_unsupported (self, self->zerocopy_row, GTK_WIDGET (self->zerocopy_switch), o->zerocopy,
                      MW_MIGRATION_FEATURE_ZEROCOPY);
    /* Only when post-copy itself can work is its recovery worth a note. */
    if (!grey_unsupported (self, self->postcopy_row, GTK_WIDGET (self->postcopy_switch),
                           o->postcopy, MW_MIGRATION_FEATURE_POSTCOPY))
      note_postcopy_recovery (self, o);
    grey_compression (self, o->compression);
  }

  if (!mw_domain_is_active (mw_migration_plan_get_domain (plan)))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row),
                                 _("The domain is not running: only its definition can move."));

  if (validation_message != NULL)
    set_banner (self, validation_message, "error");
  else if ((warnings = mw_migration_options_get_warnings (mw_migration_plan_get_options (plan)))
             != NULL && warnings[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", warnings);

      set_banner (self, text, "warning");
    }
  else
    set_banner (self, NULL, NULL);

  set_command_text (self->virsh_label, virsh_text ? virsh_text
                                                 : _("No command while the options conflict."));
}

static void on_plan_options_changed_cb (MwWizardOptionsPage *self);

static void
on_caps_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  MwMigrationCaps *caps = mw_migration_caps_read_finish (result, &error);
  MwWizardOptionsPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MW_WIZARD_OPTIONS_PAGE (user_data);
  g_clear_object (&self->caps_cancellable);
  /* A host that does not answer greys nothing: the pre-flight checks say so. */
  if (caps == NULL)
    g_debug ("Could not read what the hosts support: %s", error->message);
  g_clear_pointer (&self->caps, mw_migration_caps_free);
  self->caps = caps;
  on_plan_options_changed_cb (self);
}

/* Reads what this pair supports, once per source, destination and domain. */
static void
read_caps (MwWizardOptionsPage *self)
{
  MwMigrationPlan *plan = get_plan (self);
  MwConnection *source = mw_migration_plan_get_source (plan);
  MwConnection *destination = mw_migration_plan_get_destination (plan);

  if (self->caps_cancellable != NULL)
    g_cancellable_cancel (self->caps_cancellable);
  g_clear_object (&self->caps_cancellable);
  g_clear_pointer (&self->caps, mw_migration_caps_free);
  if (source == NULL || destination == NULL)
    return;

  self->caps_cancellable = g_cancellable_new ();
  mw_migration_caps_read_async (mw_connection_get_uri (source),
                                mw_connection_get_uri (destination),
                                mw_domain_get_name (mw_migration_plan_get_domain (plan)),
                                self->caps_cancellable, on_caps_read_cb, self);
}

static void
on_plan_options_changed_cb (MwWizardOptionsPage *self)
{
  write_options_to_widgets (self);
  show_verdicts (self);
  mw_wizard_page_revalidate (MW_WIZARD_PAGE (self));
}

/* Peer-to-peer (the default) needs a destination URI the source host can open; a local one
 * (the test driver, qemu:///system on this machine) only works managed by this app. */
static void
on_plan_destination_cb (MwWizardOptionsPage *self)
{
  MwMigrationPlan *plan = get_plan (self);
  MwConnection *destination = mw_migration_plan_get_destination (plan);
  g_autoptr(MwMigrationOptions) options = NULL;

  mw_wizard_page_revalidate (MW_WIZARD_PAGE (self));
  read_caps (self);
  if (destination == NULL || self->transport_chosen)
    return;

  options = mw_migration_options_copy (mw_migration_plan_get_options (plan));
  options->connection = mw_uri_is_remote (mw_connection_get_uri (destination))
                          ? MW_MIGRATION_CONNECTION_PEER_TO_PEER : MW_MIGRATION_CONNECTION_CLIENT;
  mw_migration_plan_set_options (plan, options);
}

static void
on_option_changed_cb (MwWizardOptionsPage *self)
{
  if (self->syncing)
    return;
  /* The reasons were for the policy's options, not for these. */
  g_cancellable_cancel (self->recommend_cancellable);
  adw_action_row_set_subtitle (self->policy_row, self->policy_hint);
  mw_wizard_page_commit (MW_WIZARD_PAGE (self));
}

static void
on_recommended_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) recommended =
    mw_migration_policy_recommend_measured_finish (result, &reasons, NULL);
  MwWizardOptionsPage *self;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (recommended == NULL)
    return; /* cancelled: the page is gone, or asked again, or changed by hand */
  self = MW_WIZARD_OPTIONS_PAGE (user_data);
  g_clear_object (&self->recommend_cancellable);
  mw_migration_plan_set_options (get_plan (self), recommended);
  text = g_strjoinv ("\n", reasons);
  escaped = g_markup_escape_text (text, -1);
  adw_action_row_set_subtitle (self->policy_row, escaped);
}

/* options.recommend: the recommended policy for this pair, the guest's memory (from the caps),
 * the link the page knows (the bandwidth cap, else none) and the guest's dirty rate, measured
 * now on the source for MW_POLICY_DIRTY_WINDOW_S; the downtime is kept as the limit. Its
 * reasons, one a line (what was measured first), under the row. */
static void
on_recommend_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (widget);
  MwMigrationPlan *plan = get_plan (self);
  const MwMigrationOptions *current = mw_migration_plan_get_options (plan);
  MwMigrationPolicyInput input;

  mw_migration_policy_input_init (&input);
  input.caps = self->caps;
  input.link_bps = (guint64) current->bandwidth_mib_s << 20;
  input.link_is_cap = current->bandwidth_mib_s != 0;
  input.max_downtime_ms = current->max_downtime_ms;
  /* A measurement still running is for options asked before: its task reports cancelled. */
  g_cancellable_cancel (self->recommend_cancellable);
  g_clear_object (&self->recommend_cancellable);
  self->recommend_cancellable = g_cancellable_new ();
  adw_action_row_set_subtitle (self->policy_row,
                               _("Measuring how fast the guest dirties its memory…"));
  mw_migration_policy_recommend_measured_async (
    current, &input, mw_connection_get_uri (mw_migration_plan_get_source (plan)),
    mw_domain_get_name (mw_migration_plan_get_domain (plan)), self->recommend_cancellable,
    on_recommended_cb, self);
}

static void
on_connection_option_changed_cb (MwWizardOptionsPage *self)
{
  if (!self->syncing)
    self->transport_chosen = TRUE;
  on_option_changed_cb (self);
}

static int
on_spin_input_cb (GtkSpinButton *spin,
                  double        *new_value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  /* "Default" and "Unlimited" (and anything else that is not a number) mean 0. */
  *new_value = end != text ? MAX (value, 0) : 0;
  return TRUE;
}

/* What a spin button shows for 0. */
static const char *
zero_word (MwWizardOptionsPage *self,
           GtkSpinButton       *spin)
{
  if (spin == self->parallel_spin)
    return C_("parallel connections", "Off");
  return spin == self->downtime_spin ? C_("downtime", "Default") : _("Unlimited");
}

/* Both spin buttons as wide as the longer word in the language shown ("Без ограничения"), not
 * only as the numbers the .ui's width-chars counts; one width keeps them aligned. */
static void
fit_zero_words (MwWizardOptionsPage *self)
{
  int chars = MAX (gtk_editable_get_width_chars (GTK_EDITABLE (self->downtime_spin)),
                   gtk_editable_get_width_chars (GTK_EDITABLE (self->bandwidth_spin)));

  chars = MAX (chars, (int) g_utf8_strlen (zero_word (self, self->downtime_spin), -1) + 1);
  chars = MAX (chars, (int) g_utf8_strlen (zero_word (self, self->bandwidth_spin), -1) + 1);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->downtime_spin), chars);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->bandwidth_spin), chars);
}

static gboolean
on_spin_output_cb (GtkSpinButton       *spin,
                   MwWizardOptionsPage *self)
{
  int value = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = NULL;

  if (value == 0)
    text = g_strdup (zero_word (self, spin));
  else
    text = g_strdup_printf ("%d", value);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* ---- MwWizardPage --------------------------------------------------------------------------- */

static gboolean
mw_wizard_options_page_validate (MwWizardPage  *page,
                                 char         **reason)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (page);
  MwMigrationPlan *plan = mw_wizard_page_get_plan (page);
  const char *message = mw_migration_plan_get_validation_message (plan);
  g_autoptr(GError) error = NULL;

  if (message == NULL && self->caps != NULL
      && !mw_migration_caps_check (self->caps, mw_migration_plan_get_options (plan), &error))
    {
      *reason = g_strdup (error->message);
      return FALSE;
    }
  *reason = g_strdup (message);
  return message == NULL && mw_migration_plan_get_destination (plan) != NULL;
}

static void
mw_wizard_options_page_commit (MwWizardPage *page)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (page);
  g_autoptr(MwMigrationOptions) options =
    mw_migration_options_copy (mw_migration_plan_get_options (get_plan (self)));

  read_options (self, options);
  mw_migration_plan_set_options (get_plan (self), options);
}

static void
mw_wizard_options_page_shown (MwWizardPage *page)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (page);

  show_verdicts (self);
  mw_wizard_ping_group_discover (self->ping_group);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_wizard_options_page_constructed (GObject *object)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (object);
  MwMigrationPlan *plan;

  G_OBJECT_CLASS (mw_wizard_options_page_parent_class)->constructed (object);

  plan = get_plan (self);
  mw_wizard_ping_group_set_plan (self->ping_group, plan);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_drop),
                            mw_domain_is_active (mw_migration_plan_get_domain (plan)));
  /* The policy is for a live migration. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "options.recommend",
                                 mw_domain_is_active (mw_migration_plan_get_domain (plan)));

  g_signal_connect_object (plan, "notify::options", G_CALLBACK (on_plan_options_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "notify::validation-message",
                           G_CALLBACK (on_plan_options_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "notify::virsh-text", G_CALLBACK (on_plan_options_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "notify::destination", G_CALLBACK (on_plan_destination_cb),
                           self, G_CONNECT_SWAPPED);
  on_plan_options_changed_cb (self);
}

static void
mw_wizard_options_page_dispose (GObject *object)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (object);

  /* The read's callback must not reach a page that is gone. */
  if (self->caps_cancellable != NULL)
    g_cancellable_cancel (self->caps_cancellable);
  g_clear_object (&self->caps_cancellable);
  g_clear_pointer (&self->caps, mw_migration_caps_free);
  if (self->recommend_cancellable != NULL)
    g_cancellable_cancel (self->recommend_cancellable);
  g_clear_object (&self->recommend_cancellable);

  G_OBJECT_CLASS (mw_wizard_options_page_parent_class)->dispose (object);
}

static void
mw_wizard_options_page_finalize (GObject *object)
{
  MwWizardOptionsPage *self = MW_WIZARD_OPTIONS_PAGE (object);

  g_free (self->policy_hint);

  G_OBJECT_CLASS (mw_wizard_options_page_parent_class)->finalize (object);
}

static void
mw_wizard_options_page_class_init (MwWizardOptionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MwWizardPageClass *page_class = MW_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = mw_wizard_options_page_constructed;
  object_class->dispose = mw_wizard_options_page_dispose;
  object_class->finalize = mw_wizard_options_page_finalize;
  page_class->validate = mw_wizard_options_page_validate;
  page_class->commit = mw_wizard_options_page_commit;
  page_class->shown = mw_wizard_options_page_shown;

  g_type_ensure (MW_TYPE_WIZARD_PING_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/MigWizard/wizard/"
                                               "mw-wizard-options-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MwWizardOptionsPage, name)
  BIND (options_banner);
  BIND (options_banner_box);
  BIND (options_banner_icon);
  BIND (options_banner_label);
  BIND (policy_row);
  BIND (mode_row);
  BIND (mode_drop);
  BIND (persistence_row);
  BIND (persistence_drop);
  BIND (storage_row);
  BIND (storage_drop);
  BIND (downtime_row);
  BIND (downtime_spin);
  BIND (bandwidth_row);
  BIND (bandwidth_spin);
  BIND (auto_converge_row);
  BIND (auto_converge_switch);
  BIND (postcopy_row);
  BIND (postcopy_switch);
  BIND (compression_row);
  BIND (compression_drop);
  BIND (parallel_row);
  BIND (parallel_spin);
  BIND (zerocopy_row);
  BIND (zerocopy_switch);
  BIND (connection_row);
  BIND (connection_drop);
  BIND (tls_row);
  BIND (tls_switch);
  BIND (unsafe_row);
  BIND (unsafe_switch);
  BIND (ping_group);
  BIND (virsh_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_output_cb);
  gtk_widget_class_install_action (widget_class, "options.recommend", NULL, on_recommend_action);
}

static void
mw_wizard_options_page_init (MwWizardOptionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fit_zero_words (self);
  self->policy_hint = g_strdup (adw_action_row_get_subtitle (self->policy_row));
}
