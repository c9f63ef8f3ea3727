/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window on the shipped demo nodes: the list of domains, filtered, by connection,
 * sorted and searched. */
#include "config.h"

#include <stdlib.h>

#include "mw-libvirt.h"
#include "mw-test-ui.h"
#include "mw-test-window.h"
#include "mw-uri.h"

typedef MwTestWindow Fixture;

/* The demo files are read here with GLib, not libvirt, so the window is checked against
 * what the files hold rather than against itself. */
static GPtrArray *
demo_domain_names (void)
{
  g_auto(GStrv) uris = mw_uri_get_demo_uris ();
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (uris);
  g_assert_cmpuint (g_strv_length (uris), >=, 1);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      const char *path = uris[i] + strlen ("test://");
      g_autofree char *xml = NULL;
      const char *p;

      g_assert_true (g_file_get_contents (path, &xml, NULL, NULL));
      for (p = strstr (xml, "<domain "); p != NULL; p = strstr (p + 1, "<domain "))
        {
          const char *start = strstr (p, "<name>") + strlen ("<name>");
          const char *end = strstr (start, "</name>");

          g_ptr_array_add (names, g_strndup (start, end - start));
        }
    }

  return names;
}

static gboolean
is_drawable_column_view (GtkWidget *widget,
                         gpointer   data)
{
  return gtk_widget_is_drawable (widget);
}

static void
test_window_demo_nodes (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) names = demo_domain_names ();
  GListModel *visible = mw_window_get_visible_domains (fixture->window);
  g_autofree char *shot = NULL;

  /* Nothing was saved: the demo nodes were offered, connected by themselves, and every
   * domain of every connected host is listed under "All connections". */
  g_assert_null (mw_window_get_selected_connection (fixture->window));
  g_assert_cmpuint (names->len, >=, 8);
  g_assert_cmpuint (g_list_model_get_n_items (visible), >=, names->len);
  for (guint i = 0; i < names->len; i++)
    g_assert_true (mw_test_model_has_name (visible, g_ptr_array_index (names, i)));

  g_assert_nonnull (mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_COLUMN_VIEW,
                                         is_drawable_column_view, NULL));
  shot = mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-demo");
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
}

static void
test_window_filter (Fixture       *fixture,
                    gconstpointer  data)
{
  GListModel *visible = mw_window_get_visible_domains (fixture->window);
  guint total = g_list_model_get_n_items (visible);
  g_autoptr(MwDomain) first = g_list_model_get_item (visible, 0);
  g_autofree char *needle = g_utf8_substring (mw_domain_get_name (first), 0, 3);
  guint expected = 0;

  for (guint i = 0; i < total; i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (visible, i);

      if (strstr (mw_domain_get_name (domain), needle) != NULL)
        expected++;
    }
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, total);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  mw_window_set_filter_text (fixture->window, needle);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (visible, i);

      g_assert_nonnull (strstr (mw_domain_get_name (domain), needle));
    }
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-filter"));

  mw_window_set_filter_text (fixture->window, "no-such-domain-anywhere");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_assert_nonnull (mw_test_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                                         mw_test_status_title_is, (gpointer) "No Results"));

  mw_window_set_filter_text (fixture->window, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, total);
}

static void
test_window_select_connection (Fixture       *fixture,
                               gconstpointer  data)
{
  GListModel *connections = G_LIST_MODEL (mw_application_get_connections (fixture->app));
  g_autoptr(MwConnection) first = g_list_model_get_item (connections, 0);
  GListModel *visible = mw_window_get_visible_domains (fixture->window);

  g_assert_true (mw_uri_is_demo (mw_connection_get_uri (first)));
  mw_window_select_connection (fixture->window, first);
  g_assert_true (mw_window_get_selected_connection (fixture->window) == first);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==,
                    g_list_model_get_n_items (mw_connection_get_domains (first)));
  g_assert_cmpuint (g_list_model_get_n_items (visible), <, mw_test_window_count_domains (fixture));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-one-connection"));

  /* Disconnecting shows why the list is empty and how to get it back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.disconnect", NULL));
  g_assert_cmpint (mw_connection_get_state (first), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_assert_nonnull (mw_test_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                                         mw_test_status_title_is, (gpointer) "Not Connected"));
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-disconnected"));
}

/* Issue #10: All Connections said "8 domains" while one of the two hosts was not connected; it
 * says which hosts its count leaves out. */
static void
test_window_all_count (Fixture       *fixture,
                       gconstpointer  data)
{
  MwConnection *hostb = mw_test_find_demo (fixture->app, "/hostb.xml");
  MwConnection *hosta = mw_test_find_demo (fixture->app, "/hosta.xml");
  guint n_a = g_list_model_get_n_items (mw_connection_get_domains (hosta));
  g_autofree char *all = g_strdup_printf ("%u domains", mw_test_window_count_domains (fixture));
  g_autofree char *without_b = g_strdup_printf ("%u domains · 1 host not connected", n_a);

  mw_window_select_connection (fixture->window, NULL);
  g_assert_cmpstr (adw_window_title_get_subtitle (fixture->window->content_title), ==, all);

  mw_connection_disconnect (hostb);
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_assert_cmpstr (adw_window_title_get_subtitle (fixture->window->content_title), ==,
                   without_b);
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-all-one-not-connected"));

  /* A host's own page counts its own domains, nothing more. */
  mw_window_select_connection (fixture->window, hosta);
  g_free (without_b);
  without_b = g_strdup_printf ("%u domains", n_a);
  g_assert_cmpstr (adw_window_title_get_subtitle (fixture->window->content_title), ==,
                   without_b);
}

static gboolean
none_visible (gpointer data)
{
  return g_list_model_get_n_items (data) == 0;
}

/* Issue #10, seen in the lab: hosta's libvirtd gone (its guest still running), hostb connected
 * with no domain: All Connections said only "None of the connected hosts has a domain." It says
 * that the hosts not connected are not listed. */
static void
test_window_all_empty_one_lost (Fixture       *fixture,
                                gconstpointer  data)
{
  MwConnection *hosta = mw_test_find_demo (fixture->app, "/hosta.xml");
  MwConnection *hostb = mw_test_find_demo (fixture->app, "/hostb.xml");
  virConnectPtr conn = mw_connection_get_virconnect (hostb);
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);
  GListModel *visible = mw_window_get_visible_domains (fixture->window);
  GtkWidget *page;

  mw_window_select_connection (fixture->window, NULL);
  g_assert_cmpint (n, >, 0);
  for (int i = 0; i < n; i++)
    {
      if (virDomainIsActive (domains[i]) == 1)
        g_assert_cmpint (virDomainDestroy (domains[i]), ==, 0);
      g_assert_cmpint (virDomainUndefine (domains[i]), ==, 0);
      virDomainFree (domains[i]);
    }
  free (domains);
  mw_connection_disconnect (hosta);
  g_assert_true (mw_test_wait_until (none_visible, visible, 5000));
  mw_test_wait_frames (GTK_WIDGET (fixture->window), 2);

  page = mw_test_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                              mw_test_status_title_is, (gpointer) "No Virtual Machines");
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), ==,
                   "None of the connected hosts has a domain. Hosts that are not connected are "
                   "not listed: connect them to see their domains.");
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-all-empty-one-lost"));
}

static gboolean
button_icon_is (GtkWidget *widget,
                gpointer   data)
{
  return g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), data) == 0;
}

/* Whether the Sort menu shows its item labelled label as chosen. */
static gboolean
sort_menu_marks (Fixture    *fixture,
                 const char *label)
{
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON,
                                           mw_test_icon_is,
                                           (gpointer) "view-sort-descending-symbolic");
  GtkWidget *item;
  gboolean active = FALSE;

  g_assert_nonnull (button);
  item = mw_test_menu_item (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))),
                            label);
  g_object_get (item, "active", &active, NULL);
  return active;
}

static GtkColumnViewColumn *
column_titled (Fixture    *fixture,
               const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (mw_test_window_domain_view (fixture));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_str_equal (gtk_column_view_column_get_title (column), title))
        return column;
    }
  g_assert_not_reached ();
}

/* -1, 0, 1 as the visible list is in ascending, no, or descending order of vCPUs (ties ignored);
 * 2 when it is neither. */
static int
vcpus_order (Fixture *fixture)
{
  GListModel *visible = mw_window_get_visible_domains (fixture->window);
  gboolean up = FALSE;
  gboolean down = FALSE;

  for (guint i = 1; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(MwDomain) a = g_list_model_get_item (visible, i - 1);
      g_autoptr(MwDomain) b = g_list_model_get_item (visible, i);

      up |= mw_domain_get_vcpus (a) < mw_domain_get_vcpus (b);
      down |= mw_domain_get_vcpus (a) > mw_domain_get_vcpus (b);
    }
  return up && down ? 2 : up ? -1 : down ? 1 : 0;
}

static gboolean
visible_sorted_by_name (Fixture *fixture)
{
  GListModel *visible = mw_window_get_visible_domains (fixture->window);

  for (guint i = 1; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(MwDomain) a = g_list_model_get_item (visible, i - 1);
      g_autoptr(MwDomain) b = g_list_model_get_item (visible, i);

      if (g_utf8_collate (mw_domain_get_name (a), mw_domain_get_name (b)) > 0)
        return FALSE;
    }
  return TRUE;
}

/* The header's arrows, as "Title:ascending" (or descending), space-separated, left to right:
 * each title has a sort-indicator node styled ascending, descending or unsorted. */
static char *
header_arrows (Fixture *fixture)
{
  GtkWidget *view = GTK_WIDGET (mw_test_window_domain_view (fixture));
  GtkWidget *header = gtk_widget_get_first_child (view);
  GString *arrows = g_string_new (NULL);

  g_assert_cmpstr (gtk_widget_get_css_name (header), ==, "header");
  for (GtkWidget *title = gtk_widget_get_first_child (header); title != NULL;
       title = gtk_widget_get_next_sibling (title))
    {
      GtkWidget *box = gtk_widget_get_first_child (title);
      GtkWidget *label = gtk_widget_get_first_child (box);
      GtkWidget *indicator = gtk_widget_get_next_sibling (label);

      g_assert_true (GTK_IS_LABEL (label));
      g_assert_cmpstr (gtk_widget_get_css_name (indicator), ==, "sort-indicator");
      if (gtk_widget_has_css_class (indicator, "ascending")
          || gtk_widget_has_css_class (indicator, "descending"))
        g_string_append_printf (arrows, "%s%s:%s", arrows->len > 0 ? " " : "",
                                gtk_label_get_text (GTK_LABEL (label)),
                                gtk_widget_has_css_class (indicator, "ascending") ? "ascending"
                                                                                  : "descending");
    }

  return g_string_free (arrows, FALSE);
}

#define assert_arrows(fixture, expected)                  \
  G_STMT_START                                            \
  {                                                       \
    g_autofree char *arrows = header_arrows (fixture);    \
    g_assert_cmpstr (arrows, ==, expected);               \
  }                                                       \
  G_STMT_END


/* Issue #10: the Sort menu, the header's arrows and the search button got out of step. */
static void
test_window_sort_in_step (Fixture       *fixture,
                          gconstpointer  data)
{
  GSettings *settings = mw_application_get_settings (fixture->app);

  assert_arrows (fixture, "Name:ascending");

  /* The Sort menu sorts the view, marks what it did, and the header shows one arrow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "settings.sort-by",
                                             "s", "memory"));
  g_assert_true (sort_menu_marks (fixture, "Memory"));
  g_assert_false (sort_menu_marks (fixture, "Name"));
  assert_arrows (fixture, "Memory:ascending");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "settings.sort-by",
                                             "s", "vcpus"));
  g_assert_cmpint (vcpus_order (fixture), ==, -1);
  assert_arrows (fixture, "vCPUs:ascending");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "settings.sort-descending", NULL));
  g_assert_cmpint (vcpus_order (fixture), ==, 1);
  g_assert_true (sort_menu_marks (fixture, "Descending"));
  assert_arrows (fixture, "vCPUs:descending");

  /* A click on a header: the menu follows, and so does the setting the next start reads. */
  mw_window_sort_by_header (fixture->window, column_titled (fixture, "Name"));
  g_assert_true (visible_sorted_by_name (fixture));
  g_assert_true (sort_menu_marks (fixture, "Name"));
  g_assert_false (sort_menu_marks (fixture, "vCPUs"));
  g_assert_false (sort_menu_marks (fixture, "Descending"));
  g_assert_cmpint (g_settings_get_enum (settings, "sort-by"), ==, 0);
  assert_arrows (fixture, "Name:ascending");

  /* The same header again reverses the order. */
  mw_window_sort_by_header (fixture->window, column_titled (fixture, "Name"));
  g_assert_true (sort_menu_marks (fixture, "Descending"));
  assert_arrows (fixture, "Name:descending");
  mw_window_sort_by_header (fixture->window, column_titled (fixture, "vCPUs"));
  g_assert_true (sort_menu_marks (fixture, "vCPUs"));
  g_assert_false (sort_menu_marks (fixture, "Descending"));
  g_assert_cmpint (vcpus_order (fixture), ==, -1);
  assert_arrows (fixture, "vCPUs:ascending");
  g_free (mw_test_save_screenshot (GTK_WIDGET (fixture->window), "window-sorted-vcpus"));

  /* Ctrl+1 (by name) keeps the direction. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "settings.sort-by",
                                             "s", "name"));
  g_assert_true (sort_menu_marks (fixture, "Name"));
  g_assert_true (visible_sorted_by_name (fixture));
  assert_arrows (fixture, "Name:ascending");
}

static void
test_window_search_in_step (Fixture       *fixture,
                            gconstpointer  data)
{
  GListModel *visible = mw_window_get_visible_domains (fixture->window);
  guint total = g_list_model_get_n_items (visible);
  GtkWidget *bar = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_BAR, NULL,
                                        NULL);
  GtkWidget *entry = mw_test_find_widget (bar, GTK_TYPE_SEARCH_ENTRY, NULL, NULL);
  GtkWidget *button = mw_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_TOGGLE_BUTTON,
                                           button_icon_is, (gpointer) "system-search-symbolic");

  g_assert_nonnull (entry);
  g_assert_nonnull (button);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));

  /* Typing into the window opens the search bar (its key capture): the button shows it. */
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (bar), TRUE);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  mw_window_set_filter_text (fixture->window, "web");
  g_assert_cmpuint (g_list_model_get_n_items (visible), <, total);

  /* Closing it with the button shows every domain again: no filter hides behind a closed
   * bar. */
  g_signal_emit_by_name (button, "clicked");  /* as a click does */
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, total);

  /* Opened with the button, closed with Escape in the entry: the button follows. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (bar)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();

  g_test_add ("/mw/window/demo-nodes", Fixture, NULL, mw_test_window_set_up,
              test_window_demo_nodes, mw_test_window_tear_down);
  g_test_add ("/mw/window/filter", Fixture, NULL, mw_test_window_set_up,
              test_window_filter, mw_test_window_tear_down);
  g_test_add ("/mw/window/all-count", Fixture, NULL, mw_test_window_set_up,
              test_window_all_count, mw_test_window_tear_down);
  g_test_add ("/mw/window/all-empty-one-lost", Fixture, NULL, mw_test_window_set_up,
              test_window_all_empty_one_lost, mw_test_window_tear_down);
  g_test_add ("/mw/window/select-connection", Fixture, NULL, mw_test_window_set_up,
              test_window_select_connection, mw_test_window_tear_down);
  g_test_add ("/mw/window/sort-in-step", Fixture, NULL, mw_test_window_set_up,
              test_window_sort_in_step, mw_test_window_tear_down);
  g_test_add ("/mw/window/search-in-step", Fixture, NULL, mw_test_window_set_up,
              test_window_search_in_step, mw_test_window_tear_down);

  return g_test_run ();
}
