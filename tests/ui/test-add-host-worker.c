/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-add-host-worker.c: the Add Remote Host window closed while its peer-to-peer set-up runs
 * in a worker. The worker gets its own copies of what it needs and touches no GTK object; the
 * window and the path's row are let go of, and finalized, on the main thread.
 *
 * mw_ssh_setup_p2p's test hook stands in for the ssh work: it notes what it was given and in
 * which thread, then blocks, deaf to the cancel, until the test lets it go, as an ssh login
 * that hangs would.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "mw-add-host-wizard-private.h"
#include "mw-libvirt.h"
#include "mw-ssh-private.h"
#include "mw-test-ui.h"

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean entered;
  gboolean released;
  GThread *thread;              /* where the hook ran */
  gconstpointer source;         /* the source target it was given */
  char *source_host;
} Hook;

static Hook hook;

/* Worker thread. */
static gboolean
blocking_setup_p2p (const MwSshContext *context,
                    const MwSshTarget  *source,
                    const MwSshTarget  *dest,
                    const MwSshHostKey *dest_key,
                    const char         *dest_password,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_mutex_lock (&hook.lock);
  hook.thread = g_thread_self ();
  hook.source = source;
  hook.source_host = g_strdup (source->host);
  hook.entered = TRUE;
  g_cond_broadcast (&hook.cond);
  while (!hook.released)
    g_cond_wait (&hook.cond, &hook.lock);
  g_mutex_unlock (&hook.lock);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The stand-in never sets up.");
  return FALSE;
}

static gboolean
hook_entered (gpointer data)
{
  gboolean entered;

  g_mutex_lock (&hook.lock);
  entered = hook.entered;
  g_mutex_unlock (&hook.lock);
  return entered;
}

static void
hook_release (void)
{
  g_mutex_lock (&hook.lock);
  hook.released = TRUE;
  g_cond_broadcast (&hook.cond);
  g_mutex_unlock (&hook.lock);
}

/* Weak notify: records the thread the object was finalized in. */
static void
on_finalized_cb (gpointer  data,
                 GObject  *where_the_object_was)
{
  GThread **thread = data;

  *thread = g_thread_self ();
}

static gboolean
both_finalized (gpointer data)
{
  GThread **threads = data;

  return threads[0] != NULL && threads[1] != NULL;
}

static void
test_closed_while_setting_up (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mw-add-host-XXXXXX", NULL);
  g_autofree char *ssh_dir = g_build_filename (dir, "dot-ssh", NULL);
  g_autoptr(MwSshContext) context = mw_ssh_context_new (ssh_dir);
  g_autoptr(MwConnectionList) connections = mw_connection_list_new (NULL);
  MwSshTarget peer = { (char *) "admin", (char *) "hostb", 0 };
  MwSshHostKey peer_key = { (char *) "ED25519", 256, (char *) "SHA256:stand-in",
                            (char *) "ssh-ed25519", (char *) "AAAAC3NzaC1lZDI1NTE5" };
  GThread *finalized[2] = { NULL, NULL };   /* the window's, the row's */
  MwAddHostWizard *wizard;
  GtkWidget *row;

  mw_ssh_set_setup_p2p_hook (blocking_setup_p2p);
  wizard = mw_add_host_wizard_new (NULL, connections, context);
  /* What the host page leaves once an address was given: the new host, the source here. */
  wizard->target = g_new0 (MwSshTarget, 1);
  wizard->target->user = g_strdup ("admin");
  wizard->target->host = g_strdup ("hosta");
  gtk_window_present (GTK_WINDOW (wizard));
  mw_test_wait_frames (GTK_WIDGET (wizard), 3);

  row = adw_action_row_new ();
  adw_preferences_group_add (wizard->p2p_group, row);
  g_object_weak_ref (G_OBJECT (wizard), on_finalized_cb, &finalized[0]);
  g_object_weak_ref (G_OBJECT (row), on_finalized_cb, &finalized[1]);

  mw_add_host_wizard_setup_p2p (wizard, ADW_ACTION_ROW (row), &peer, &peer_key);
  g_assert_true (mw_test_wait_until (hook_entered, NULL, 10000));
  g_assert_true (hook.thread != g_thread_self ());
  /* The worker has its own copy of the source, not the window's. */
  g_assert_true (hook.source != (gconstpointer) wizard->target);
  g_assert_cmpstr (hook.source_host, ==, "hosta");

  /* Closed while the worker runs: nothing is finalized under it. */
  gtk_window_destroy (GTK_WINDOW (wizard));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (finalized[0]);
  g_assert_null (finalized[1]);

  /* Let go: the window and the row go, on this thread. */
  hook_release ();
  g_assert_true (mw_test_wait_until (both_finalized, finalized, 10000));
  g_assert_true (finalized[0] == g_thread_self ());
  g_assert_true (finalized[1] == g_thread_self ());

  mw_ssh_set_setup_p2p_hook (NULL);
  g_free (hook.source_host);
  g_rmdir (ssh_dir);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/add-host-worker/closed-while-setting-up", test_closed_while_setting_up);

  return g_test_run ();
}
