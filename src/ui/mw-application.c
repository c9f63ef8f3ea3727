/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-application.h"
#include "mw-credentials.h"
#include "mw-credentials-prompt.h"
#include "mw-uri.h"
#include "mw-window.h"

struct _MwApplication
{
  AdwApplication parent_instance;

  /* Owned */
  GSettings *settings;
  MwConnectionList *connections;
  GHashTable *notified;   /* serial (GUINT_TO_POINTER) → GtkWindow, weak: those notified about */
  guint last_serial;
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (MwApplication, mw_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Connect to a libvirt URI, for example qemu+ssh://root@host/system (repeatable)"),
    N_("URI") },
  { "migrate", 'm', 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the migration wizard on this domain (needs --from and --to)"), N_("DOMAIN") },
  { "from", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --migrate: the libvirt URI where it runs"),
    N_("URI") },
  { "to", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --migrate: the libvirt URI to move it to"),
    N_("URI") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

MwApplication *
mw_application_new (void)
{
  return g_object_new (MW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/com/example/MigWizard",
                       NULL);
}

MwConnectionList *
mw_application_get_connections (MwApplication *self)
{
  g_return_val_if_fail (MW_IS_APPLICATION (self), NULL);

  return self->connections;
}

GSettings *
mw_application_get_settings (MwApplication *self)
{
  g_return_val_if_fail (MW_IS_APPLICATION (self), NULL);

  return self->settings;
}

void
mw_application_load_connections (MwApplication *self,
                                 gboolean       offer_defaults)
{
  g_return_if_fail (MW_IS_APPLICATION (self));

  if (self->loaded)
    return;

  self->loaded = TRUE;
  mw_connection_list_load (self->connections, offer_defaults);
  mw_connection_list_autoconnect (self->connections);
}

static void
on_notified_window_gone_cb (gpointer  data,
                            GObject  *window)
{
  MwApplication *self = data;
  guint serial = GPOINTER_TO_UINT (g_object_get_data (window, "mw-notify-serial"));

  g_hash_table_remove (self->notified, GUINT_TO_POINTER (serial));
}

MwApplication *
mw_application_for_window (GtkWindow *window)
{
  for (; window != NULL; window = gtk_window_get_transient_for (window))
    {
      GtkApplication *app = gtk_window_get_application (window);

      if (MW_IS_APPLICATION (app))
        return MW_APPLICATION (app);
    }

  return NULL;
}

gboolean
mw_application_notify_done (MwApplication *self,
                            GtkWindow     *window,
                            const char    *title,
                            const char    *body)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  guint serial;

  g_return_val_if_fail (MW_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (title != NULL && body != NULL, FALSE);

  /* No session bus: nobody to tell. */
  if (g_application_get_dbus_connection (G_APPLICATION (self)) == NULL)
    return FALSE;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return FALSE;
  /* Dialogs of ours that are not application windows (the wizard, Set Up Hosts). */
  if (gtk_window_is_active (window))
    return FALSE;

  serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "mw-notify-serial"));
  if (serial == 0)
    {
      serial = ++self->last_serial;
      g_object_set_data (G_OBJECT (window), "mw-notify-serial", GUINT_TO_POINTER (serial));
      g_hash_table_insert (self->notified, GUINT_TO_POINTER (serial), window);
      g_object_weak_ref (G_OBJECT (window), on_notified_window_gone_cb, self);
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.present-window", "u", serial);
  id = g_strdup_printf ("window-%u", serial);
  g_application_send_notification (G_APPLICATION (self), id, notification);

  return TRUE;
}

static MwWindow *
get_or_create_window (MwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (mw_window_new (self));

  return MW_WINDOW (window);
}

static void
mw_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_or_create_window (MW_APPLICATION (app))));
}

static int
mw_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return -1;
}

/* A --connect, --from or --to URI as a connection: found, or added for this run (not saved). */
static MwConnection *
find_or_add_connection (MwApplication *self,
                        const char    *uri)
{
  MwConnection *connection = mw_connection_list_find (self->connections, uri);

  if (connection == NULL)
    connection = mw_connection_list_add (self->connections, uri, TRUE, FALSE, NULL);
  return connection;
}

/* --migrate DOMAIN --from URI --to URI, checked before any window opens. */
static gboolean
check_migrate_options (GApplicationCommandLine *command_line,
                       const char              *domain,
                       const char              *from,
                       const char              *to)
{
  const char *uris[] = { from, to };

  if (domain == NULL && from == NULL && to == NULL)
    return TRUE;

  if (domain == NULL || *domain == '\0' || from == NULL || to == NULL)
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("--migrate, --from and --to go together: "
                                             "--migrate DOMAIN --from URI --to URI"));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwUri) parsed = mw_uri_parse (uris[i], &error);

      if (parsed == NULL)
        {
          /* Translators: the first %s is the option, the second the URI, the third why */
          g_application_command_line_printerr (command_line, _("%s “%s” is not usable: %s\n"),
                                               i == 0 ? "--from" : "--to", uris[i],
                                               error->message);
          return FALSE;
        }
    }

  if (g_str_equal (from, to))
    {
      g_application_command_line_printerr (command_line, "%s\n",
                                           _("--from and --to name the same connection: a "
                                             "migration needs two hosts"));
      return FALSE;
    }

  return TRUE;
}

/* --connect URIs are checked before any window opens, so a typo is named on the terminal
 * instead of becoming a failed row. They are shown and connected, never saved. */
static int
mw_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  MwApplication *self = MW_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **uris = NULL;
  const char *migrate = NULL, *from = NULL, *to = NULL;
  MwConnection *first = NULL;
  MwWindow *window;

  g_variant_dict_lookup (options, "connect", "^a&s", &uris);
  g_variant_dict_lookup (options, "migrate", "&s", &migrate);
  g_variant_dict_lookup (options, "from", "&s", &from);
  g_variant_dict_lookup (options, "to", "&s", &to);

  if (!check_migrate_options (command_line, migrate, from, to))
    return EXIT_FAILURE;

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwUri) parsed = mw_uri_parse (uris[i], &error);

      if (parsed == NULL)
        {
          /* Translators: the first %s is what was given to --connect, the second why it is wrong */
          g_application_command_line_printerr (command_line, _("Cannot connect to “%s”: %s\n"),
                                               uris[i], error->message);
          return EXIT_FAILURE;
        }
    }

  /* The user named what to look at: the demo nodes are not offered on top. */
  mw_application_load_connections (self, uris == NULL && migrate == NULL);

  /* Start connecting before the window is built: opening and listing run in workers, so they
   * overlap with building the UI instead of following it. */
  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      MwConnection *connection = find_or_add_connection (self, uris[i]);

      if (connection == NULL)
        continue;
      if (first == NULL)
        first = connection;
      if (mw_connection_get_state (connection) == MW_CONNECTION_STATE_DISCONNECTED ||
          mw_connection_get_state (connection) == MW_CONNECTION_STATE_FAILED)
        mw_connection_connect_async (connection, NULL, NULL, NULL);
    }

  window = get_or_create_window (self);

  if (first != NULL)
    mw_window_select_connection (window, first);

  gtk_window_present (GTK_WINDOW (window));

  /* A plain start: the first one offers the connections the user keeps in virt-manager. */
  if (uris == NULL && migrate == NULL)
    mw_window_offer_virt_manager (window, TRUE);

  if (migrate != NULL)
    {
      MwConnection *source = find_or_add_connection (self, from);
      MwConnection *destination = find_or_add_connection (self, to);

      if (source == NULL || destination == NULL)
        return EXIT_FAILURE;
      mw_window_migrate_when_connected (window, source, migrate, destination);
    }

  return EXIT_SUCCESS;
}

static void
mw_application_startup (GApplication *app)
{
  MwApplication *self = MW_APPLICATION (app);

  G_APPLICATION_CLASS (mw_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  self->connections = mw_connection_list_new (self->settings);
  /* Credentials libvirt asks for are asked in a dialog over the active window. */
  mw_credentials_prompt_install (GTK_APPLICATION (app));
}

static void
mw_application_shutdown (GApplication *app)
{
  MwApplication *self = MW_APPLICATION (app);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));

  /* A worker asking from now on hears "no" instead of waiting for a window that will not come. */
  mw_credentials_set_provider (NULL, NULL);
  /* Closes each libvirt connection in its worker; the process ends right after. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      mw_connection_disconnect (connection);
    }

  G_APPLICATION_CLASS (mw_application_parent_class)->shutdown (app);
}

static gboolean
drop_weak_ref (gpointer key,
               gpointer window,
               gpointer self)
{
  g_object_weak_unref (window, on_notified_window_gone_cb, self);
  return TRUE;
}

static void
mw_application_dispose (GObject *object)
{
  MwApplication *self = MW_APPLICATION (object);

  if (self->notified != NULL)
    g_hash_table_foreach_remove (self->notified, drop_weak_ref, self);
  g_clear_pointer (&self->notified, g_hash_table_unref);

  g_clear_object (&self->connections);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mw_application_parent_class)->dispose (object);
}

static void
mw_application_class_init (MwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mw_application_dispose;

  app_class->activate = mw_application_activate;
  app_class->startup = mw_application_startup;
  app_class->shutdown = mw_application_shutdown;
  app_class->handle_local_options = mw_application_handle_local_options;
  app_class->command_line = mw_application_command_line;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close windows so each saves its state; the app ends when the last is gone. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The MigWizard developers", NULL };
  GtkApplication *app = user_data;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("MigWizard"),
                        "application-icon", APP_ID,
                        "developer-name", _("The MigWizard developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://example.com/mig-wizard",
                        "comments", _("Move running virtual machines between hosts, and see it "
                                      "happen: every pass, every lost ping."),
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* A notification's default action: the window it was about, as it was left; the main window
 * when that one was closed since. */
static void
present_window_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MwApplication *self = user_data;
  GtkWindow *window = g_hash_table_lookup (self->notified,
                                           GUINT_TO_POINTER (g_variant_get_uint32 (parameter)));

  if (window == NULL)
    window = GTK_WINDOW (get_or_create_window (self));
  gtk_window_present (window);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "present-window", present_window_action, "u" },
};

static void
mw_application_init (MwApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  self->notified = g_hash_table_new (NULL, NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (
    G_APPLICATION (self),
    _("Browse libvirt connections and their virtual machines, and migrate them live."));
  g_application_set_option_context_description (
    G_APPLICATION (self),
    _("Without a GPU (no render node in /dev/dri, or LIBGL_ALWAYS_SOFTWARE set) the app draws "
      "with cairo and leaves OpenGL off: it starts faster and in less memory. Set GSK_RENDERER "
      "to choose the renderer yourself."));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}
