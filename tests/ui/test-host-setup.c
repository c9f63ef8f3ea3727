/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host set-up window on the demo nodes: the NFS plan shown exactly, the pool created on both
 * (the demo nodes share nothing, so the check across hosts fails and the pool both already
 * share is offered), and both hosts' bridges and networks next to what the guest uses. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "mw-connection.h"
#include "mw-connection-list.h"
#include "mw-host-setup-window.h"
#include "mw-libvirt.h"
#include "mw-storage-setup.h"
#include "mw-test-ui.h"

static gboolean
connected (gpointer data)
{
  return mw_connection_get_state (data) == MW_CONNECTION_STATE_CONNECTED;
}

static gboolean
idle (gpointer data)
{
  return !mw_host_setup_window_get_busy (data);
}

typedef struct
{
  const char *title;
  const char *subtitle;
} RowMatch;

static gboolean
row_matches (GtkWidget *widget,
             gpointer   data)
{
  RowMatch *match = data;
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  const char *subtitle = ADW_IS_ACTION_ROW (widget)
                           ? adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) : NULL;

  return title != NULL && strstr (title, match->title) != NULL
         && (match->subtitle == NULL
             || (subtitle != NULL && strstr (subtitle, match->subtitle) != NULL));
}

static gboolean
label_contains (GtkWidget *widget,
                gpointer   data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (widget));

  return text != NULL && strstr (text, data) != NULL;
}

static gboolean
button_label_contains (GtkWidget *widget,
                       gpointer   data)
{
  const char *text = gtk_button_get_label (GTK_BUTTON (widget));

  return text != NULL && strstr (text, data) != NULL;
}

static MwConnection *
add_demo (MwConnectionList *list,
          const char       *node)
{
  g_autofree char *uri = g_strdup_printf ("test://%s/%s.xml", g_getenv ("MW_DEMO_DIR"), node);
  g_autoptr(GError) error = NULL;
  MwConnection *connection = mw_connection_list_add (list, uri, FALSE, FALSE, &error);

  g_assert_no_error (error);
  mw_connection_connect_async (connection, NULL, NULL, NULL);
  g_assert_true (mw_test_wait_until (connected, connection, 10000));
  return connection;
}

static void
test_demo (void)
{
  g_autoptr(MwConnectionList) list = mw_connection_list_new (NULL);
  MwConnection *hosta = add_demo (list, "hosta");
  MwConnection *hostb = add_demo (list, "hostb");
  MwHostSetupWindow *window = mw_host_setup_window_new (NULL, list, "db01");
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *network_row;
  GtkWidget *stack;
  GtkAdjustment *adjustment;
  RowMatch match = { 0 };
  g_autofree char *shot = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mw_host_setup_window_select_hosts (window, mw_connection_get_uri (hosta),
                                                    mw_connection_get_uri (hostb)));

  /* The plan, exactly: the server defaults to host A */
  network_row = mw_test_find_widget (root, ADW_TYPE_ENTRY_ROW, row_matches,
                                     &(RowMatch) { "Hosts’ Network", NULL });
  g_assert_nonnull (network_row);
  g_assert_false (gtk_widget_is_sensitive (mw_test_find_widget (
    root, GTK_TYPE_BUTTON, button_label_contains, (gpointer) "Create the Pool")));
  gtk_editable_set_text (GTK_EDITABLE (network_row), "192.168.10.0/24");
  g_assert_nonnull (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                         (gpointer) "   /srv/migwizard 192.168.10.0/24(rw,sync,"
                                                    "no_subtree_check,no_root_squash)\n"));
  g_assert_nonnull (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                         (gpointer) "--source-host hosta --source-path "
                                                    "/srv/migwizard"));
  mw_test_wait_frames (root, 3);
  shot = mw_test_save_screenshot (root, "host-setup-storage");

  /* Create the pool on both: done on each, not shared; the demo nodes' "shared" pools have
   * the same path but are two separate test instances, so nothing is offered instead */
  gtk_widget_activate_action (root, "setup.define-pools", NULL);
  g_assert_true (mw_host_setup_window_get_busy (window));
  g_assert_true (mw_test_wait_until (idle, window, 20000));
  match = (RowMatch) { "hostb: start the pool", "done" };
  g_assert_nonnull (mw_test_find_widget (root, ADW_TYPE_ACTION_ROW, row_matches, &match));
  g_assert_null (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                      (gpointer) "Both hosts already share pool"));
  g_assert_nonnull (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                         (gpointer) "the pool is not shared storage"));
  /* scroll down to the steps for the screenshot */
  stack = mw_test_find_widget (root, ADW_TYPE_VIEW_STACK, NULL, NULL);
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack), "storage")));
  mw_test_wait_frames (root, 3);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                          - gtk_adjustment_get_page_size (adjustment));
  mw_test_wait_frames (root, 3);
  g_free (shot);
  shot = mw_test_save_screenshot (root, "host-setup-storage-result");

  /* Network page: both hosts side by side, what the guest uses */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "network");
  gtk_widget_activate_action (root, "setup.refresh-network", NULL);
  g_assert_true (mw_test_wait_until (idle, window, 20000));
  match = (RowMatch) { "bridge “br0”", "hosta: present · hostb: present" };
  g_assert_nonnull (mw_test_find_widget (root, ADW_TYPE_ACTION_ROW, row_matches, &match));
  match = (RowMatch) { "br0", "Bridge · used by the guest" };
  g_assert_nonnull (mw_test_find_widget (root, ADW_TYPE_ACTION_ROW, row_matches, &match));
  match = (RowMatch) { "br0", "libvirt network · bridge · bridge br0" };
  g_assert_nonnull (mw_test_find_widget (root, ADW_TYPE_ACTION_ROW, row_matches, &match));
  mw_test_wait_frames (root, 3);
  g_free (shot);
  shot = mw_test_save_screenshot (root, "host-setup-network");

  /* A demo node has no SSH: Create Bridge says so instead of asking */
  gtk_widget_activate_action (root, "setup.create-bridge", NULL);
  g_assert_null (mw_host_setup_window_get_confirm_dialog (window));
  g_assert_false (mw_host_setup_window_get_busy (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_plan_label (GtkWidget *widget,
               gpointer   data)
{
  return gtk_widget_has_css_class (widget, "monospace");
}

static gboolean
network_shown (gpointer data)
{
  RowMatch match = { "br0", "Bridge" };

  return !mw_host_setup_window_get_busy (data)
         && mw_test_find_widget (data, ADW_TYPE_ACTION_ROW, row_matches, &match) != NULL;
}

/* What the window shows before anything is typed or pressed: no error on the Storage page, and
 * the Network page filled in as soon as it is opened. */
static void
test_first_look (void)
{
  g_autoptr(MwConnectionList) list = mw_connection_list_new (NULL);
  MwConnection *hosta = add_demo (list, "hosta");
  MwConnection *hostb = add_demo (list, "hostb");
  MwHostSetupWindow *window = mw_host_setup_window_new (NULL, list, NULL);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *plan_label;
  GtkWidget *network_row;
  GtkWidget *stack;
  g_autoptr(MwNfsPlan) bad_plan = NULL;
  g_autoptr(GError) error = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (mw_host_setup_window_select_hosts (window, mw_connection_get_uri (hosta),
                                                    mw_connection_get_uri (hostb)));
  mw_test_wait_frames (root, 3);

  /* Storage: the empty network is a hint, not an error. */
  plan_label = mw_test_find_widget (root, GTK_TYPE_LABEL, is_plan_label, NULL);
  g_assert_nonnull (plan_label);
  g_assert_false (gtk_widget_has_css_class (plan_label, "error"));
  g_assert_null (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                      (gpointer) "is not a network"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (plan_label)), "Fill in"));
  g_free (mw_test_save_screenshot (root, "host-setup-storage-empty"));

  /* Something wrong typed: now it is an error, with the core's sentence. */
  network_row = mw_test_find_widget (root, ADW_TYPE_ENTRY_ROW, row_matches,
                                     &(RowMatch) { "Hosts’ Network", NULL });
  gtk_editable_set_text (GTK_EDITABLE (network_row), "10.0.0.0/99");
  bad_plan = mw_nfs_plan_new ("hosta", "/srv/migwizard", "10.0.0.0/99", NULL, NULL);
  g_assert_false (mw_nfs_plan_validate (bad_plan, &error));
  g_assert_true (gtk_widget_has_css_class (plan_label, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (plan_label)), ==, error->message);
  gtk_editable_set_text (GTK_EDITABLE (network_row), "10.0.0.0/24");
  g_assert_false (gtk_widget_has_css_class (plan_label, "error"));

  /* Network: opening the page reads both hosts, no Refresh needed. */
  stack = mw_test_find_widget (root, ADW_TYPE_VIEW_STACK, NULL, NULL);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "network");
  g_assert_true (mw_test_wait_until (network_shown, window, 20000));
  mw_test_wait_frames (root, 3);
  g_free (mw_test_save_screenshot (root, "host-setup-network-opened"));

  /* One host chosen twice: said so, instead of old rows. */
  g_assert_true (mw_host_setup_window_select_hosts (window, mw_connection_get_uri (hosta),
                                                    mw_connection_get_uri (hosta)));
  g_assert_false (network_shown (window));
  g_assert_nonnull (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                         (gpointer) "Choose two different hosts"));

  /* Chosen again: read again by itself. */
  g_assert_true (mw_host_setup_window_select_hosts (window, mw_connection_get_uri (hosta),
                                                    mw_connection_get_uri (hostb)));
  g_assert_true (mw_test_wait_until (network_shown, window, 20000));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  mw_libvirt_init ();

  g_test_add_func ("/mw/host-setup/demo", test_demo);
  g_test_add_func ("/mw/host-setup/first-look", test_first_look);

  return g_test_run ();
}
