/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-lab-gui.c: see mw-lab-gui.h. */
#include "config.h"

#include <stdio.h>

#include "mw-lab-gui.h"
#include "mw-libvirt.h"
#include "mw-test-ui.h"

void
mw_lab_gui_init (const char *outdir)
{
  mw_libvirt_init ();
  gtk_init ();
  adw_init ();
  g_setenv ("MW_SCREENSHOT_DIR", outdir, TRUE);
}

typedef struct
{
  MwLabGui *gui;
  MwConnection *on;
  const char *const *names;
} HostsWait;

static gboolean
hosts_ready (gpointer data)
{
  HostsWait *wait = data;

  if (mw_connection_get_state (wait->gui->a) != MW_CONNECTION_STATE_CONNECTED
      || mw_connection_get_state (wait->gui->b) != MW_CONNECTION_STATE_CONNECTED)
    return FALSE;
  for (guint i = 0; wait->names[i] != NULL; i++)
    {
      MwDomain *domain = mw_connection_find_domain (wait->on, wait->names[i]);

      if (domain == NULL || !mw_domain_is_active (domain))
        return FALSE;
    }
  return TRUE;
}

void
mw_lab_gui_start (MwLabGui           *gui,
                  gboolean            on_a,
                  const char *const  *names)
{
  GError *error = NULL;
  MwConnectionList *list;
  HostsWait wait = { gui, NULL, names };

  gui->app = mw_test_app_new ();
  gui->window = mw_window_new (gui->app);
  gtk_window_set_default_size (GTK_WINDOW (gui->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (gui->window));

  /* The two lab hosts, added as the Add Connection dialog adds them, and connected. */
  list = mw_application_get_connections (gui->app);
  gui->a = g_object_ref (mw_connection_list_add (list, MW_LAB_A_URI, TRUE, FALSE, &error));
  g_assert_no_error (error);
  gui->b = g_object_ref (mw_connection_list_add (list, MW_LAB_B_URI, TRUE, FALSE, &error));
  g_assert_no_error (error);
  mw_window_connect (gui->window, gui->a);
  mw_window_connect (gui->window, gui->b);
  wait.on = on_a ? gui->a : gui->b;
  if (!mw_test_wait_until (hosts_ready, &wait, 60000))
    {
      g_autofree char *listed = g_strjoinv (", ", (char **) names);

      g_error ("The window never listed %s running on %s", listed,
               mw_connection_get_uri (wait.on));
    }
}

void
mw_lab_gui_stop (MwLabGui *gui)
{
  if (gui->window != NULL)
    gtk_window_destroy (GTK_WINDOW (gui->window));
  gui->window = NULL;
  g_clear_object (&gui->a);
  g_clear_object (&gui->b);
  g_clear_object (&gui->app);
}

void
mw_lab_say (const char *key,
            const char *value)
{
  g_autofree char *flat = g_strdup (value != NULL ? value : "");

  g_strdelimit (flat, "\n", ' ');
  printf ("%s=%s\n", key, flat);
  fflush (stdout);
}

gboolean
mw_lab_row_titled (GtkWidget *widget,
                   gpointer   data)
{
  return gtk_widget_is_drawable (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

gboolean
mw_lab_has_action_name (GtkWidget *widget,
                        gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget) && gtk_widget_is_drawable (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

GtkWidget *
mw_lab_usable_button (GtkWidget  *root,
                      const char *action)
{
  GtkWidget *button = mw_test_find_widget (root, GTK_TYPE_BUTTON, mw_lab_has_action_name,
                                           (gpointer) action);

  return button != NULL && gtk_widget_is_sensitive (button) ? button : NULL;
}

typedef struct
{
  gboolean done;
  gboolean ok;
} HookWait;

static void
on_hook_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HookWait *wait = user_data;

  wait->ok = g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, NULL);
  wait->done = TRUE;
}

static gboolean
hook_done (gpointer data)
{
  return ((HookWait *) data)->done;
}

gboolean
mw_lab_run_hook (const char    *name,
                 MwLabHookWait  wait_mode,
                 gboolean      *ran)
{
  const char *hook = g_getenv (name);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  HookWait wait = { FALSE, FALSE };

  if (ran != NULL)
    *ran = hook != NULL;
  if (hook == NULL)
    return TRUE;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sh", "-c", hook, NULL);
  if (process == NULL)
    g_error ("%s: %s", name, error->message);
  if (wait_mode == MW_LAB_HOOK_BLOCKING)
    return g_subprocess_wait_check (process, NULL, NULL);
  g_subprocess_wait_check_async (process, NULL, on_hook_done_cb, &wait);
  if (!mw_test_wait_until (hook_done, &wait, 120000))
    g_error ("%s did not finish within 2 minutes", name);
  return wait.ok;
}
