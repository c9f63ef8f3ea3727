/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bad-input.c: the same bad strings in every text field of every dialog: Add Connection,
 * Add Remote Host, Set Up Hosts (NFS and bridge rows), the wizard's ping address.
 *
 * Each value must be either refused — the row marked, a specific sentence shown, valid UTF-8 and
 * short, nothing offered — or accepted harmlessly: what the field then gives (a URI, a plan, a
 * ping address) is one the core parses back and that holds no shell syntax. Nothing is ever
 * added: the connection list stays as it was. G_DEBUG=fatal-warnings turns any GTK warning
 * into a failure. (An entry holds valid UTF-8 only and no NUL, so those two are for the CLI and
 * fuzz tests.) */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-add-connection-dialog.h"
#include "mw-add-host-wizard.h"
#include "mw-connection-list.h"
#include "mw-host-setup-window.h"
#include "mw-libvirt.h"
#include "mw-ssh.h"
#include "mw-storage-setup.h"
#include "mw-test-ui.h"
#include "mw-uri.h"
#include "mw-wizard-ping-group.h"

/* The longest message the user is shown for one field (a value is quoted cut short). */
#define MAX_MESSAGE 1024

static char *long_value;

static const char *
bad_value (guint i)
{
  static const char *const values[] = {
    ";$(touch /tmp/mw-PWNED)", "`touch /tmp/mw-PWNED`", "'\"\\", "-oProxyCommand=touch x",
    "h\u00f6st\u2713", "host\u200bb", "::1", "[::1]", "[::1]:22", "fe80::1%eth0",
    "root@[::1]:2222", "line\nbreak", "\t", "", "\u202eevil", NULL,
  };

  if (i < G_N_ELEMENTS (values) - 1)
    return values[i];
  if (i == G_N_ELEMENTS (values) - 1)
    return long_value;
  return NULL;
}

static gboolean
match_title (GtkWidget *widget,
             gpointer   data)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

  return title != NULL && strstr (title, data) != NULL;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  GtkWidget *row = mw_test_find_widget (root, ADW_TYPE_ENTRY_ROW, match_title, (gpointer) title);

  g_assert_nonnull (row);
  return row;
}

static void
assert_message (const char *message)
{
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_cmpuint (strlen (message), <, MAX_MESSAGE);
}

/* A URI a field gave: the core parses it, and nothing in it reaches ssh as an option. */
static void
assert_harmless_uri (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, &error);

  g_assert_no_error (error);
  g_assert_true (parsed->host == NULL || parsed->host[0] != '-');
  g_assert_true (parsed->user == NULL || parsed->user[0] != '-');
  g_assert_null (strpbrk (uri, " \t\n;`$'\"\\"));
}

static void
test_add_connection (void)
{
  g_autoptr(MwConnectionList) connections = mw_connection_list_new (NULL);
  MwAddConnectionDialog *dialog = mw_add_connection_dialog_new (NULL, connections);
  GtkWidget *root = GTK_WIDGET (dialog);
  const char *titles[] = { "_User", "_Host", "_Port", "Pa_rameters" };
  const char *good[] = { "root", "hostb", "2222", "" };

  gtk_window_present (GTK_WINDOW (dialog));
  mw_test_wait_frames (root, 3);
  adw_combo_row_set_selected (ADW_COMBO_ROW (mw_test_find_widget (root, ADW_TYPE_COMBO_ROW,
                                                                  match_title,
                                                                  (gpointer) "Connect _Through")),
                              MW_TRANSPORT_SSH);

  for (guint field = 0; field < G_N_ELEMENTS (titles); field++)
    for (guint i = 0; bad_value (i) != NULL; i++)
      {
        const char *value = bad_value (i);
        GtkWidget *row;

        /* A pasted URI rewrites the rows: start each case from the same good ones. */
        for (guint f = 0; f < G_N_ELEMENTS (titles); f++)
          gtk_editable_set_text (GTK_EDITABLE (find_row (root, titles[f])), good[f]);
        row = find_row (root, titles[field]);
        gtk_editable_set_text (GTK_EDITABLE (row), value);

        if (mw_add_connection_dialog_get_uri (dialog) != NULL)
          assert_harmless_uri (mw_add_connection_dialog_get_uri (dialog));
        else
          {
            g_test_message ("%s = %.40s: %s", titles[field], value,
                            mw_add_connection_dialog_get_message (dialog));
            assert_message (mw_add_connection_dialog_get_message (dialog));
            /* An empty required field is a hint, not a red row. */
            g_assert_true (*value == '\0' || gtk_widget_has_css_class (row, "error"));
            /* Add does nothing with a refused field, even when asked directly. */
            gtk_widget_activate_action (root, "dialog.add", NULL);
          }
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connections)), ==, 0);
      }
  mw_test_wait_frames (root, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_add_host (void)
{
  g_autoptr(MwConnectionList) connections = mw_connection_list_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("mw-bad-input-XXXXXX", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "dot-ssh", NULL);
  g_autoptr(MwSshContext) context = mw_ssh_context_new (ssh_dir);
  MwAddHostWizard *wizard = mw_add_host_wizard_new (NULL, connections, context);
  GtkWidget *root = GTK_WIDGET (wizard);
  GtkWidget *address = find_row (root, "_Address");

  gtk_window_present (GTK_WINDOW (wizard));
  mw_test_wait_frames (root, 3);
  for (guint i = 0; bad_value (i) != NULL; i++)
    {
      const char *value = bad_value (i);

      gtk_editable_set_text (GTK_EDITABLE (address), value);
      g_assert_cmpstr (mw_add_host_wizard_get_page (wizard), ==, "host");
      if (mw_add_host_wizard_get_uri (wizard) != NULL)
        assert_harmless_uri (mw_add_host_wizard_get_uri (wizard));
      else if (*value != '\0' && !g_str_equal (value, "\t"))
        {
          g_test_message ("address = %.40s: %s", value, mw_add_host_wizard_get_message (wizard));
          assert_message (mw_add_host_wizard_get_message (wizard));
          g_assert_true (gtk_widget_has_css_class (address, "error"));
        }
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connections)), ==, 0);
    }
  mw_test_wait_frames (root, 2);
  gtk_window_destroy (GTK_WINDOW (wizard));
  /* Typing never scans or writes a key: no ssh directory appeared. */
  g_assert_false (g_file_test (ssh_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gboolean
label_shows_error (GtkWidget *widget,
                   gpointer   data)
{
  return gtk_widget_has_css_class (widget, "error") && gtk_widget_get_visible (widget);
}

static gboolean
label_contains (GtkWidget *widget,
                gpointer   data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (widget));

  return text != NULL && strstr (text, data) != NULL;
}

static void
test_host_setup (void)
{
  g_autoptr(MwConnectionList) connections = mw_connection_list_new (NULL);
  MwHostSetupWindow *window = mw_host_setup_window_new (NULL, connections, NULL);
  GtkWidget *root = GTK_WIDGET (window);
  const char *nfs[] = { "NFS Server", "Export Path", "Hosts’ Network", "Pool Name",
                        "Mount Path" };
  const char *good[] = { "nfs.example", "/srv/migwizard", "10.78.0.0/24", "migwizard-nfs",
                         "/var/lib/libvirt/migwizard-nfs" };
  const char *bridge[] = { "Bridge Name", "Interface to Move", "libvirt Network Name" };

  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_frames (root, 3);
  for (guint field = 0; field < G_N_ELEMENTS (nfs); field++)
    for (guint i = 0; bad_value (i) != NULL; i++)
      {
        const char *value = bad_value (i);
        GtkWidget *error_label;

        for (guint f = 0; f < G_N_ELEMENTS (nfs); f++)
          gtk_editable_set_text (GTK_EDITABLE (find_row (root, nfs[f])), good[f]);
        gtk_editable_set_text (GTK_EDITABLE (find_row (root, nfs[field])), value);

        error_label = mw_test_find_widget (root, GTK_TYPE_LABEL, label_shows_error, NULL);
        if (error_label != NULL)
          {
            g_test_message ("%s = %.40s: %s", nfs[field], value,
                            gtk_label_get_text (GTK_LABEL (error_label)));
            assert_message (gtk_label_get_text (GTK_LABEL (error_label)));
          }
        else if (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                      (gpointer) "Fill in every field") == NULL)
          {
            /* Accepted: the plan the window shows is one the core accepts as it is. */
            g_autoptr(MwNfsPlan) plan = mw_nfs_plan_new (
              field == 0 ? value : good[0], field == 1 ? value : good[1],
              field == 2 ? value : good[2], field == 3 ? value : good[3],
              field == 4 ? value : good[4]);

            g_test_message ("%s = %.40s: accepted", nfs[field], value);
            g_assert_true (mw_nfs_plan_validate (plan, NULL));
            g_assert_nonnull (mw_test_find_widget (root, GTK_TYPE_LABEL, label_contains,
                                                   (gpointer) "/etc/exports"));
          }
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connections)), ==, 0);
      }

  /* The bridge rows are checked when the change is asked for; typing alone does nothing. */
  for (guint field = 0; field < G_N_ELEMENTS (bridge); field++)
    for (guint i = 0; bad_value (i) != NULL; i++)
      gtk_editable_set_text (GTK_EDITABLE (find_row (root, bridge[field])), bad_value (i));
  g_assert_false (mw_host_setup_window_get_busy (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (connections)), ==, 0);
  mw_test_wait_frames (root, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_ping_address (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *group = g_object_new (MW_TYPE_WIZARD_PING_GROUP, NULL);
  GtkWidget *row;

  gtk_window_set_child (GTK_WINDOW (window), group);
  gtk_window_present (GTK_WINDOW (window));
  mw_test_wait_frames (window, 3);
  row = mw_test_find_widget (group, ADW_TYPE_ENTRY_ROW, NULL, NULL);
  g_assert_nonnull (row);
  for (guint i = 0; bad_value (i) != NULL; i++)
    {
      const char *value = bad_value (i);
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (value);

      gtk_editable_set_text (GTK_EDITABLE (row), value);
      /* Only an address literal is taken; anything else is marked and said so. */
      g_assert_true (gtk_widget_has_css_class (row, "error")
                     == (*value != '\0' && address == NULL));
      assert_message (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)));
    }
  mw_test_wait_frames (window, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();
  long_value = g_strnfill (65536, 'a');

  g_test_add_func ("/mw/bad-input/add-connection", test_add_connection);
  g_test_add_func ("/mw/bad-input/add-host", test_add_host);
  g_test_add_func ("/mw/bad-input/host-setup", test_host_setup);
  g_test_add_func ("/mw/bad-input/ping-address", test_ping_address);

  status = g_test_run ();
  g_free (long_value);
  return status;
}
