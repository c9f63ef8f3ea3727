/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-window-domain-list.c: MwWindow's list of domains: the model pipeline under it, its
 * columns (cells and sorters), and its context menu. Main thread. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-window-private.h"

/* Column cells. Each is bound once in setup through expressions on the list item, so a row
 * follows its domain's notifications by itself and rebinding costs nothing extra. */

static GtkExpression *
item_expression (void)
{
  return gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item");
}

static GtkExpression *
domain_property (const char *property)
{
  return gtk_property_expression_new (MW_TYPE_DOMAIN, item_expression (), property);
}

static GtkWidget *
cell_label_new (float xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static char *
format_state (GObject       *this,
              MwDomainState  state,
              gboolean       migrating)
{
  /* Issue #10: an incoming copy read "Paused" beside the guest running on the source. */
  if (migrating)
    /* Translators: a domain's state: paused by a migration (an incoming copy, or the source
     * at the switch-over) */
    return g_strdup (C_("domain state", "Migrating"));
  return g_strdup (mw_domain_state_to_string (state));
}

static char *
format_state_icon (GObject       *this,
                   MwDomainState  state)
{
  switch (state)
    {
    case MW_DOMAIN_STATE_RUNNING:
    case MW_DOMAIN_STATE_BLOCKED:
      return g_strdup ("media-playback-start-symbolic");
    case MW_DOMAIN_STATE_PAUSED:
    case MW_DOMAIN_STATE_PMSUSPENDED:
      return g_strdup ("media-playback-pause-symbolic");
    case MW_DOMAIN_STATE_CRASHED:
      return g_strdup ("dialog-warning-symbolic");
    case MW_DOMAIN_STATE_SHUTDOWN:
    case MW_DOMAIN_STATE_SHUTOFF:
    case MW_DOMAIN_STATE_NOSTATE:
    default:
      return g_strdup ("system-shutdown-symbolic");
    }
}

static char **
format_state_classes (GObject       *this,
                      MwDomainState  state)
{
  const char *classes[] = { state == MW_DOMAIN_STATE_RUNNING ? "success" : "dim-label", NULL };

  return g_strdupv ((char **) classes);
}

static char *
format_uint (GObject *this,
             guint    value)
{
  return g_strdup_printf ("%u", value);
}

static char *
format_memory (GObject *this,
               guint64  kib)
{
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
format_connection (GObject  *this,
                   MwDomain *domain)
{
  MwConnection *connection = domain ? mw_domain_get_connection (domain) : NULL;

  return g_strdup (connection ? mw_connection_get_title (connection) : "");
}

/* Numeric sorters take numbers, not enums; virDomainState order puts running first. */
static int
state_rank (MwDomain      *this,
            MwDomainState  state)
{
  return (int) state;
}

/* For the sorter, whose expressions are evaluated on the domain itself. */
static char *
format_own_connection (MwDomain *this,
                       gpointer  user_data)
{
  return format_connection (G_OBJECT (this), this);
}

static GtkExpression *
closure_on (GType          type,
            GCallback      callback,
            GtkExpression *param)
{
  return gtk_cclosure_expression_new (type, NULL, 1, &param, callback, NULL, NULL);
}

/* Each cell's child knows its list item: a right click picks a widget and walks up to it. */
static void
remember_item (GtkWidget   *child,
               GtkListItem *item)
{
  g_object_set_data (G_OBJECT (child), "mw-list-item", item);
}

static void
bind_label (GtkListItem   *item,
            GtkWidget     *label,
            GtkExpression *expression)
{
  gtk_expression_bind (expression, label, "label", item);
}

/* A cell that is one label showing expression; css_class may be NULL. */
static void
setup_label_cell (GtkListItem   *item,
                  float          xalign,
                  const char    *css_class,
                  GtkExpression *expression)
{
  GtkWidget *label = cell_label_new (xalign);

  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_list_item_set_child (item, label);
  remember_item (label, item);
  bind_label (item, label, expression);
}

static void
on_name_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  setup_label_cell (item, 0.0, NULL, domain_property ("name"));
}

static void
on_state_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = cell_label_new (0.0);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
  remember_item (box, item);

  gtk_expression_bind (closure_on (G_TYPE_STRING, G_CALLBACK (format_state_icon),
                                   domain_property ("state")),
                       icon, "icon-name", item);
  gtk_expression_bind (closure_on (G_TYPE_STRV, G_CALLBACK (format_state_classes),
                                   domain_property ("state")),
                       icon, "css-classes", item);
  bind_label (item, label,
              gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 2,
                                           (GtkExpression *[]) { domain_property ("state"),
                                                                 domain_property ("migrating") },
                                           G_CALLBACK (format_state), NULL, NULL));
}

static void
on_vcpus_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  setup_label_cell (item, 1.0, "numeric",
                    closure_on (G_TYPE_STRING, G_CALLBACK (format_uint), domain_property ("vcpus")));
}

static void
on_memory_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  setup_label_cell (item, 1.0, "numeric",
                    closure_on (G_TYPE_STRING, G_CALLBACK (format_memory),
                                domain_property ("memory-kib")));
}

static void
on_connection_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  setup_label_cell (item, 0.0, "dim-label",
                    closure_on (G_TYPE_STRING, G_CALLBACK (format_connection), item_expression ()));
}

static void
setup_column (GtkColumnViewColumn *column,
              GCallback            setup,
              GtkSorter           *sorter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, NULL);
  gtk_column_view_column_set_factory (column, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (factory);
  g_object_unref (sorter);
}

static GtkExpression *
plain_domain_property (const char *property)
{
  return gtk_property_expression_new (MW_TYPE_DOMAIN, NULL, property);
}

/* The State column is as wide as its longest word in the language shown ("Приостановлен" does
 * not fit the 140 px that "Shutting down" needs), with the icon, the spacing and the cell's
 * padding: a state is never cut. */
static void
fit_state_column (MwWindow *self)
{
  int widest = 0;

  for (MwDomainState state = MW_DOMAIN_STATE_NOSTATE; state <= MW_DOMAIN_STATE_PMSUSPENDED;
       state++)
    {
      g_autoptr(PangoLayout) layout =
        gtk_widget_create_pango_layout (GTK_WIDGET (self), mw_domain_state_to_string (state));
      int width = 0;

      pango_layout_get_pixel_size (layout, &width, NULL);
      widest = MAX (widest, width);
    }
  /* icon 16 + spacing 6 + padding and a little air */
  gtk_column_view_column_set_fixed_width (self->state_column,
                                          MAX (gtk_column_view_column_get_fixed_width (
                                                 self->state_column),
                                               widest + 16 + 6 + 30));
}

static void
setup_columns (MwWindow *self)
{
  GtkSorter *by_name = GTK_SORTER (gtk_string_sorter_new (plain_domain_property ("name")));
  GtkMultiSorter *by_state = gtk_multi_sorter_new ();
  GtkExpression *connection_title;

  /* Running first (virDomainState order), then by name within a state. */
  gtk_multi_sorter_append (by_state, GTK_SORTER (gtk_numeric_sorter_new (
    gtk_cclosure_expression_new (G_TYPE_INT, NULL, 1,
                                 (GtkExpression *[]) { plain_domain_property ("state") },
                                 G_CALLBACK (state_rank), NULL, NULL))));
  gtk_multi_sorter_append (by_state, g_object_ref (by_name));

  connection_title = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                  G_CALLBACK (format_own_connection), NULL, NULL);

  setup_column (self->name_column, G_CALLBACK (on_name_setup_cb), by_name);
  setup_column (self->state_column, G_CALLBACK (on_state_setup_cb), GTK_SORTER (by_state));
  fit_state_column (self);
  setup_column (self->vcpus_column, G_CALLBACK (on_vcpus_setup_cb),
                GTK_SORTER (gtk_numeric_sorter_new (plain_domain_property ("vcpus"))));
  setup_column (self->memory_column, G_CALLBACK (on_memory_setup_cb),
                GTK_SORTER (gtk_numeric_sorter_new (plain_domain_property ("memory-kib"))));
  setup_column (self->connection_column, G_CALLBACK (on_connection_setup_cb),
                GTK_SORTER (gtk_string_sorter_new (connection_title)));
}

/* Sorting. The settings sort-by and sort-descending are the one truth. The Sort menu and
 * Ctrl+1/2 change them, and so does a click on a column's header: GTK sorts the view by
 * itself then, and the window turns the click into the settings as GTK does (the same column
 * again reverses the order, another one sorts by it, ascending). The view is sorted from the
 * settings, so the menu's marks, the header's arrow and the order the next start restores are
 * always one and the same. */

#define N_SORT_COLUMNS 5

/* In the order of the schema's SortBy enum. */
static GtkColumnViewColumn *
sort_column (MwWindow *self,
             int       sort_by)
{
  GtkColumnViewColumn *columns[N_SORT_COLUMNS] = { self->name_column, self->state_column,
                                                   self->vcpus_column, self->memory_column,
                                                   self->connection_column };

  return sort_by >= 0 && sort_by < N_SORT_COLUMNS ? columns[sort_by] : self->name_column;
}

/* GTK 4.8's gtk_column_view_sort_by_column () puts the arrow on the column it sorts by but
 * leaves the one before showing its arrow too (as does its own header click). Setting a
 * column's sorter again redraws its title, so every other column is reset that way. */
static void
apply_sort_setting (MwWindow *self)
{
  GtkColumnViewColumn *column = sort_column (self, g_settings_get_enum (self->settings,
                                                                          "sort-by"));
  gboolean descending = g_settings_get_boolean (self->settings, "sort-descending");

  gtk_column_view_sort_by_column (self->domain_view, column,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  for (int i = 0; i < N_SORT_COLUMNS; i++)
    {
      GtkColumnViewColumn *other = sort_column (self, i);
      g_autoptr(GtkSorter) sorter = NULL;

      if (other == column)
        continue;
      sorter = g_object_ref (gtk_column_view_column_get_sorter (other));
      gtk_column_view_column_set_sorter (other, NULL);
      gtk_column_view_column_set_sorter (other, sorter);
    }
}

static void
on_settings_sort_changed_cb (MwWindow   *self,
                             const char *key,
                             GSettings  *settings)
{
  apply_sort_setting (self);
}

void
mw_window_sort_by_header (MwWindow            *self,
                          GtkColumnViewColumn *column)
{
  int sort_by = 0;

  while (sort_by < N_SORT_COLUMNS && sort_column (self, sort_by) != column)
    sort_by++;
  g_return_if_fail (sort_by < N_SORT_COLUMNS);

  if (g_settings_get_enum (self->settings, "sort-by") == sort_by)
    g_settings_set_boolean (self->settings, "sort-descending",
                            !g_settings_get_boolean (self->settings, "sort-descending"));
  else
    {
      g_settings_set_boolean (self->settings, "sort-descending", FALSE);
      g_settings_set_enum (self->settings, "sort-by", sort_by);
    }
}

/* The first descendant of root with this CSS name. */
static GtkWidget *
find_css_node (GtkWidget  *root,
               const char *css_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = g_str_equal (gtk_widget_get_css_name (child), css_name)
                           ? child
                           : find_css_node (child, css_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The column whose title is at x, y of the view, or NULL. A title is a child of the view's
 * header node, and shows the column's title in a label. */
static GtkColumnViewColumn *
find_header_column (MwWindow *self,
                    double    x,
                    double    y)
{
  GtkWidget *view = GTK_WIDGET (self->domain_view);

  for (GtkWidget *widget = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
       widget != NULL && widget != view; widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);
      GtkWidget *label;

      if (parent == NULL || !g_str_equal (gtk_widget_get_css_name (parent), "header"))
        continue;
      label = find_css_node (widget, "label");
      for (int i = 0; label != NULL && GTK_IS_LABEL (label) && i < N_SORT_COLUMNS; i++)
        if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)),
                       gtk_column_view_column_get_title (sort_column (self, i))) == 0)
          return sort_column (self, i);
      return NULL;
    }

  return NULL;
}

/* Bubble phase: after the title's own click handling (which has sorted the view, but not the
 * settings), and never for a drag, which the view takes to resize a column. */
static void
on_header_click_released_cb (GtkGestureClick *gesture,
                             int              n_press,
                             double           x,
                             double           y,
                             MwWindow        *self)
{
  GtkColumnViewColumn *column = find_header_column (self, x, y);

  if (column != NULL)
    mw_window_sort_by_header (self, column);
}

void
mw_window_setup_sorting (MwWindow *self)
{
  static const char * const keys[] = { "sort-by", "sort-descending" };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, keys[i]);
      g_autofree char *signal = g_strconcat ("changed::", keys[i], NULL);

      g_action_map_add_action (G_ACTION_MAP (group), action);
      g_signal_connect_object (self->settings, signal, G_CALLBACK (on_settings_sort_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (group));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_header_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->domain_view), GTK_EVENT_CONTROLLER (click));

  apply_sort_setting (self);
}

/* Map functions take and give a full reference. */
static gpointer
map_to_domains (gpointer item,
                gpointer user_data)
{
  GListModel *domains = g_object_ref (mw_connection_get_domains (item));

  g_object_unref (item);
  return domains;
}

/* The selected domain and its context menu */

MwDomain *
mw_window_get_selected_domain (MwWindow *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static void
update_migrate_action (MwWindow *self)
{
  gboolean selected = mw_window_get_selected_domain (self) != NULL;

  /* Any domain can move: a running one live, any other offline (the wizard picks the mode). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.migrate", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.domain-menu", selected);
  mw_window_update_domain_actions (self);
}

static GtkListItem *
list_item_of (GtkWidget *widget)
{
  return widget ? g_object_get_data (G_OBJECT (widget), "mw-list-item") : NULL;
}

/* The list item under a picked widget: the cell child itself, one of its descendants, or the
 * padding of its cell or row around it. */
static GtkListItem *
find_list_item (GtkWidget *view,
                GtkWidget *picked)
{
  for (GtkWidget *widget = picked; widget != NULL && widget != view;
       widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);
      GtkListItem *item = list_item_of (widget);

      if (item == NULL)
        item = list_item_of (child);
      if (item == NULL && child != NULL)
        item = list_item_of (gtk_widget_get_first_child (child));
      if (item != NULL)
        return item;
    }

  return NULL;
}

GtkWidget *
mw_window_find_cell_child (GtkWidget *root,
                           guint      position)
{
  GtkListItem *item = list_item_of (root);

  if (item != NULL && gtk_list_item_get_position (item) == position &&
      gtk_widget_get_mapped (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = mw_window_find_cell_child (child, position);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
mw_window_popup_domain_menu (MwWindow           *self,
                             const GdkRectangle *rect)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self->domain_menu), rect);
  gtk_popover_popup (GTK_POPOVER (self->domain_menu));
}

static void
on_domain_view_click_pressed_cb (GtkGestureClick *gesture,
                                 int              n_press,
                                 double           x,
                                 double           y,
                                 MwWindow        *self)
{
  GtkWidget *view = GTK_WIDGET (self->domain_view);
  GtkListItem *item = find_list_item (view, gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT));

  if (item == NULL || gtk_list_item_get_item (item) == NULL)
    return;

  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (item));
  mw_window_popup_domain_menu (self, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_selection_changed_cb (MwWindow *self)
{
  update_migrate_action (self);
}

void
mw_window_setup_domain_menu (MwWindow *self)
{
  GtkWidget *view = GTK_WIDGET (self->domain_view);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) state = g_menu_new ();
  g_autoptr(GMenu) migrate = g_menu_new ();
  g_autoptr(GMenuItem) state_item = g_menu_item_new (NULL, NULL);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* The header bar's power menu (mw-window.ui), then Migrate…. */
  g_menu_item_set_attribute (state_item, "custom", "s", "domain-state");
  g_menu_append_item (state, state_item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (state));
  g_menu_append_section (menu, NULL, self->lifecycle_section);
  g_menu_append_section (menu, NULL, self->pause_section);
  g_menu_append (migrate, _("_Migrate…"), "win.migrate");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (migrate));
  self->domain_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  self->menu_state_label = mw_window_new_state_label ();
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (self->domain_menu), self->menu_state_label,
                              "domain-state");
  gtk_popover_set_has_arrow (GTK_POPOVER (self->domain_menu), FALSE);
  gtk_widget_set_halign (self->domain_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->domain_menu, view);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_domain_view_click_pressed_cb), self);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));

  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      gtk_named_action_new ("win.domain-menu")));
  gtk_widget_add_controller (view, shortcuts);
}

void
mw_window_setup_domain_list (MwWindow *self)
{
  GListModel *connections = G_LIST_MODEL (self->connections);

  /* Domains of every connection, as one list. */
  self->all_domains = G_LIST_MODEL (gtk_flatten_list_model_new (
    G_LIST_MODEL (gtk_map_list_model_new (g_object_ref (connections), map_to_domains,
                                          NULL, NULL))));
  setup_columns (self);

  self->name_filter = gtk_string_filter_new (plain_domain_property ("name"));
  gtk_string_filter_set_match_mode (self->name_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->name_filter, TRUE);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (self->all_domains),
                                                  GTK_FILTER (g_object_ref (self->name_filter)));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->domain_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->domain_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  update_migrate_action (self);
}
