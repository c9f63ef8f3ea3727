/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight-view.c: the pre-flight checks as a list of expander rows.
 *
 * Built in code rather than from a template: each row binds to one MwCheck, and the list is
 * made by gtk_list_box_bind_model, so the only fixed parts are the summary line and the lists.
 * Rows bind to the checks' properties; nothing is pushed into them, and each shows its own
 * result as soon as its check finishes.
 *
 * What blocks the migration must not sit below the fold: a second list at the top, a filter of
 * the same checks, holds one row per blocking check (while the others still run, too); activating
 * it opens that check's row in the full list, which keeps its fixed order.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mw-preflight-view.h"

struct _MwPreflightView
{
  GtkWidget parent_instance;

  /* Owned */
  MwPreflight *preflight;
  GCancellable *cancellable;   /* for fixes; cancelled on dispose */
  GtkFilterListModel *blocking_checks;  /* the checks that block, in display order */
  gboolean blocking;

  /* Borrowed: children */
  GtkWidget *box;
  GtkWidget *summary_spinner;
  GtkWidget *summary_label;
  GtkWidget *blocking_list;
  GtkWidget *list;
};

G_DEFINE_FINAL_TYPE (MwPreflightView, mw_preflight_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PREFLIGHT,
  PROP_BLOCKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Rows */

typedef struct
{
  MwPreflightView *view;   /* weak */
  MwCheck *check;
  GtkWidget *row;
  GtkWidget *icon;
  GtkWidget *spinner;
  GtkWidget *fix_button;
  GtkWidget *detail_label;
  GtkWidget *fix_label;
  GtkWidget *error_label;
} RowData;

static void
row_data_free (gpointer data)
{
  RowData *row = data;

  g_signal_handlers_disconnect_by_data (row->check, row);
  g_clear_weak_pointer (&row->view);
  g_object_unref (row->check);
  g_free (row);
}

static void
update_row (RowData *row)
{
  MwCheckState state = mw_check_get_state (row->check);
  const char *icon_name = NULL;
  const char *css = NULL;
  const char *detail = mw_check_get_detail (row->check);
  const char *fix = mw_check_get_fix (row->check);
  g_autofree char *fix_text = fix != NULL ? g_strdup_printf (_("How to fix it: %s"), fix) : NULL;
  gboolean expandable;

  gtk_widget_remove_css_class (row->icon, "success");
  gtk_widget_remove_css_class (row->icon, "warning");
  gtk_widget_remove_css_class (row->icon, "error");
  switch (state)
    {
    case MW_CHECK_STATE_PASSED:
      icon_name = "emblem-ok-symbolic";
      css = "success";
      break;
    case MW_CHECK_STATE_WARNING:
      icon_name = "dialog-warning-symbolic";
      css = "warning";
      break;
    case MW_CHECK_STATE_BLOCKING:
      icon_name = "process-stop-symbolic";
      css = "error";
      break;
    case MW_CHECK_STATE_ERROR:
      icon_name = "dialog-question-symbolic";
      css = "warning";
      break;
    case MW_CHECK_STATE_PENDING:
    case MW_CHECK_STATE_RUNNING:
    default:
      break;
    }

  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), state == MW_CHECK_STATE_RUNNING);
  gtk_widget_set_visible (row->spinner, state == MW_CHECK_STATE_RUNNING);
  gtk_widget_set_visible (row->icon, icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (row->icon), icon_name);
  if (css != NULL)
    gtk_widget_add_css_class (row->icon, css);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), mw_check_get_title (row->check));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->row),
                                 state == MW_CHECK_STATE_RUNNING
                                   ? _("Checking…")
                                   : (mw_check_get_sentence (row->check)
                                        ? mw_check_get_sentence (row->check) : ""));

  gtk_label_set_text (GTK_LABEL (row->detail_label), detail != NULL ? detail : "");
  gtk_widget_set_visible (row->detail_label, detail != NULL);
  gtk_label_set_text (GTK_LABEL (row->fix_label), fix_text != NULL ? fix_text : "");
  gtk_widget_set_visible (row->fix_label, fix_text != NULL);
  expandable = detail != NULL || fix_text != NULL || gtk_widget_get_visible (row->error_label);
  /* Enabling expansion also expands the row (libadwaita 1.2): keep it closed until asked. */
  if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (row->row)) != expandable)
    {
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row->row), expandable);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row->row), FALSE);
    }

  gtk_widget_set_visible (row->fix_button, mw_check_get_can_fix (row->check)
                                             && state != MW_CHECK_STATE_RUNNING);
  if (mw_check_get_fix_label (row->check) != NULL)
    gtk_button_set_label (GTK_BUTTON (row->fix_button), mw_check_get_fix_label (row->check));
}

static void
on_check_notify_cb (MwCheck    *check,
                    GParamSpec *pspec,
                    RowData    *row)
{
  update_row (row);
}

static void
on_fix_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RowData *row = user_data;
  g_autoptr(GError) error = NULL;

  if (!mw_preflight_fix_finish (MW_PREFLIGHT (source_object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("The fix did not work: %s"), error->message);

      gtk_label_set_text (GTK_LABEL (row->error_label), text);
      gtk_widget_set_visible (row->error_label, TRUE);
      update_row (row);
    }
  g_object_unref (row->row);
}

static void
on_fix_confirm_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            GtkWidget        *row_widget)
{
  RowData *row = g_object_get_data (G_OBJECT (row_widget), "mw-row-data");

  if (!g_str_equal (response, "fix") || row->view == NULL)
    return;

  gtk_widget_set_visible (row->error_label, FALSE);
  gtk_widget_set_visible (row->fix_button, FALSE);
  /* The row keeps row alive until the fix is done. */
  mw_preflight_fix_async (row->view->preflight, row->check, row->view->cancellable,
                          on_fix_done_cb, row);
  g_object_ref (row->row);
}

/* A fix changes the guest or its host: it is asked first, in the check's own words (its `fix`
 * text says what the button does, e.g. that restarting takes the guest down). */
static void
on_fix_clicked_cb (GtkButton *button,
                   RowData   *row)
{
  GtkRoot *root = gtk_widget_get_root (row->row);
  GtkWidget *dialog;

  if (row->view == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   mw_check_get_title (row->check), mw_check_get_fix (row->check));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "fix", mw_check_get_fix_label (row->check),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "fix",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_fix_confirm_response_cb),
                           row->row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
make_text_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  MwPreflightView *self = user_data;
  RowData *row = g_new0 (RowData, 1);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  g_set_weak_pointer (&row->view, self);
  row->check = g_object_ref (MW_CHECK (item));
  row->row = adw_expander_row_new ();
  gtk_widget_set_name (row->row, mw_check_get_id (row->check));

  row->icon = gtk_image_new ();
  row->spinner = gtk_spinner_new ();
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row->row), row->icon);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row->row), row->spinner);

  row->fix_button = gtk_button_new_with_label (_("Fix"));
  gtk_widget_set_valign (row->fix_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->fix_button, "suggested-action");
  g_signal_connect (row->fix_button, "clicked", G_CALLBACK (on_fix_clicked_cb), row);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row->row), row->fix_button);

  row->detail_label = make_text_label (NULL);
  row->fix_label = make_text_label (NULL);
  row->error_label = make_text_label ("error");
  gtk_widget_set_visible (row->error_label, FALSE);
  gtk_box_append (GTK_BOX (content), row->detail_label);
  gtk_box_append (GTK_BOX (content), row->fix_label);
  gtk_box_append (GTK_BOX (content), row->error_label);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->row), content);

  g_signal_connect (row->check, "notify", G_CALLBACK (on_check_notify_cb), row);
  g_object_set_data_full (G_OBJECT (row->row), "mw-row-data", row, row_data_free);
  update_row (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row->row), FALSE);

  return row->row;
}

/* Blocking checks, on top */

static gboolean
is_blocking_cb (gpointer item,
                gpointer user_data)
{
  return mw_check_get_state (MW_CHECK (item)) == MW_CHECK_STATE_BLOCKING;
}

static void
on_check_state_cb (MwCheck         *check,
                   GParamSpec      *pspec,
                   MwPreflightView *self)
{
  if (self->blocking_checks == NULL)
    return;  /* disposed */
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->blocking_checks),
                      GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_blocking_items_changed_cb (GListModel      *model,
                              guint            position,
                              guint            removed,
                              guint            added,
                              MwPreflightView *self)
{
  gtk_widget_set_visible (self->blocking_list, g_list_model_get_n_items (model) > 0);
}

/* Scrolls the scrolled window around the view (when there is one) so row starts at the top,
 * with its detail and fix below it. */
static void
scroll_to_top (MwPreflightView *self,
               GtkWidget       *row)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  graphene_point_t top = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t point;

  if (scrolled == NULL)
    return;
  /* The viewport's child scrolls as a whole: points in it do not depend on the scrolling. */
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (content) && gtk_viewport_get_child (GTK_VIEWPORT (content)) != NULL)
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (content == NULL || !gtk_widget_compute_point (row, content, &top, &point))
    return;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                            point.y);
}

/* The check's own row in the full list: opened, focused, and scrolled to the top. */
static void
on_blocking_row_activated_cb (AdwActionRow    *blocking_row,
                              MwPreflightView *self)
{
  MwCheck *check = g_object_get_data (G_OBJECT (blocking_row), "mw-check");
  GListModel *checks = mw_preflight_get_checks (self->preflight);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) item = g_list_model_get_item (checks, i);
      GtkListBoxRow *row;

      if (item != check)
        continue;
      row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), i);
      if (row == NULL)
        return;
      if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (row)))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      /* The expander row itself takes no focus; its header does. */
      if (!gtk_widget_grab_focus (GTK_WIDGET (row)))
        gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
      scroll_to_top (self, GTK_WIDGET (row));
      return;
    }
}

static GtkWidget *
create_blocking_row_cb (gpointer item,
                        gpointer user_data)
{
  MwPreflightView *self = user_data;
  MwCheck *check = MW_CHECK (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("process-stop-symbolic");
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_widget_set_name (row, mw_check_get_id (check));
  gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_bind_property (check, "title", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (check, "sentence", row, "subtitle", G_BINDING_SYNC_CREATE);
  g_object_set_data_full (G_OBJECT (row), "mw-check", g_object_ref (check), g_object_unref);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_blocking_row_activated_cb), self, 0);
  return row;
}

/* Summary */

static void
update_summary (MwPreflightView *self)
{
  guint n_blocking = mw_preflight_get_n_blocking (self->preflight);
  guint n_warnings = mw_preflight_get_n_warnings (self->preflight);
  guint n_errors = mw_preflight_get_n_errors (self->preflight);
  gboolean running = mw_preflight_get_running (self->preflight);
  gboolean blocking = n_blocking > 0;
  g_autofree char *text = NULL;

  gtk_spinner_set_spinning (GTK_SPINNER (self->summary_spinner), running);
  gtk_widget_set_visible (self->summary_spinner, running);

  if (running && n_blocking > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Checking both hosts… %u problem found so far must be "
                                         "fixed before migrating.",
                                         "Checking both hosts… %u problems found so far must be "
                                         "fixed before migrating.",
                                         n_blocking), n_blocking);
  else if (running)
    text = g_strdup (_("Checking both hosts…"));
  else if (n_blocking > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u problem must be fixed before migrating.",
                                         "%u problems must be fixed before migrating.",
                                         n_blocking), n_blocking);
  else if (n_warnings > 0 || n_errors > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Nothing blocks the migration; read the %u note below.",
                                         "Nothing blocks the migration; read the %u notes below.",
                                         n_warnings + n_errors), n_warnings + n_errors);
  else
    text = g_strdup (_("Every check passed."));
  gtk_label_set_text (GTK_LABEL (self->summary_label), text);

  if (self->blocking != blocking)
    {
      self->blocking = blocking;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKING]);
    }
}

static void
on_preflight_notify_cb (MwPreflight     *preflight,
                        GParamSpec      *pspec,
                        MwPreflightView *self)
{
  update_summary (self);
}

/* GObject */

static void
mw_preflight_view_constructed (GObject *object)
{
  MwPreflightView *self = MW_PREFLIGHT_VIEW (object);
  GListModel *checks;

  G_OBJECT_CLASS (mw_preflight_view_parent_class)->constructed (object);

  g_assert (self->preflight != NULL);
  checks = mw_preflight_get_checks (self->preflight);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), checks, create_row_cb, self, NULL);

  /* The list of checks never changes, only their states. */
  self->blocking_checks =
    gtk_filter_list_model_new (g_object_ref (checks),
                               GTK_FILTER (gtk_custom_filter_new (is_blocking_cb, NULL, NULL)));
  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (checks, i);

      g_signal_connect_object (check, "notify::state", G_CALLBACK (on_check_state_cb), self, 0);
    }
  g_signal_connect_object (self->blocking_checks, "items-changed",
                           G_CALLBACK (on_blocking_items_changed_cb), self, 0);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->blocking_list),
                           G_LIST_MODEL (self->blocking_checks), create_blocking_row_cb, self,
                           NULL);
  on_blocking_items_changed_cb (G_LIST_MODEL (self->blocking_checks), 0, 0, 0, self);
  g_signal_connect_object (self->preflight, "notify::running",
                           G_CALLBACK (on_preflight_notify_cb), self, 0);
  g_signal_connect_object (self->preflight, "notify::n-blocking",
                           G_CALLBACK (on_preflight_notify_cb), self, 0);
  g_signal_connect_object (self->preflight, "notify::n-warnings",
                           G_CALLBACK (on_preflight_notify_cb), self, 0);
  g_signal_connect_object (self->preflight, "notify::n-errors",
                           G_CALLBACK (on_preflight_notify_cb), self, 0);
  update_summary (self);
}

static void
mw_preflight_view_dispose (GObject *object)
{
  MwPreflightView *self = MW_PREFLIGHT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list), NULL, NULL, NULL, NULL);
  if (self->blocking_list != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->blocking_list), NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  self->list = NULL;
  self->blocking_list = NULL;
  g_clear_object (&self->blocking_checks);
  g_clear_object (&self->preflight);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_preflight_view_parent_class)->dispose (object);
}

static void
mw_preflight_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MwPreflightView *self = MW_PREFLIGHT_VIEW (object);

  switch (prop_id)
    {
    case PROP_PREFLIGHT:
      g_value_set_object (value, self->preflight);
      break;
    case PROP_BLOCKING:
      g_value_set_boolean (value, self->blocking);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_preflight_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MwPreflightView *self = MW_PREFLIGHT_VIEW (object);

  switch (prop_id)
    {
    case PROP_PREFLIGHT:
      self->preflight = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_preflight_view_class_init (MwPreflightViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mw_preflight_view_constructed;
  object_class->dispose = mw_preflight_view_dispose;
  object_class->get_property = mw_preflight_view_get_property;
  object_class->set_property = mw_preflight_view_set_property;

  properties[PROP_PREFLIGHT] =
    g_param_spec_object ("preflight", NULL, NULL, MW_TYPE_PREFLIGHT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKING] =
    g_param_spec_boolean ("blocking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "preflightview");
}

static void
mw_preflight_view_init (MwPreflightView *self)
{
  GtkWidget *summary = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->summary_spinner = gtk_spinner_new ();
  self->summary_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->summary_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary_label), 0);
  gtk_widget_add_css_class (self->summary_label, "heading");
  gtk_box_append (GTK_BOX (summary), self->summary_spinner);
  gtk_box_append (GTK_BOX (summary), self->summary_label);
  gtk_box_append (GTK_BOX (self->box), summary);

  self->blocking_list = gtk_list_box_new ();
  gtk_widget_set_name (self->blocking_list, "blocking");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->blocking_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->blocking_list, "boxed-list");
  gtk_widget_set_visible (self->blocking_list, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->blocking_list);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_box_append (GTK_BOX (self->box), self->list);
}

GtkWidget *
mw_preflight_view_new (MwPreflight *preflight)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (preflight), NULL);

  return g_object_new (MW_TYPE_PREFLIGHT_VIEW, "preflight", preflight, NULL);
}

MwPreflight *
mw_preflight_view_get_preflight (MwPreflightView *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT_VIEW (self), NULL);
  return self->preflight;
}

gboolean
mw_preflight_view_get_blocking (MwPreflightView *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT_VIEW (self), FALSE);
  return self->blocking;
}
