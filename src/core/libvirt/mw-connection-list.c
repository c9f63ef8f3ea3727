/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-connection-list.c: the saved connections, a GListModel of MwConnection.
 *
 * Main thread only. The list is the truth while the app runs; GSettings gets a copy after every
 * change (add, remove, autoconnect toggled), written as whole `connections` and `autoconnect`
 * arrays so the two keys never disagree about order.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-connection-list.h"
#include "mw-uri.h"

/* Where a local libvirtd (monolithic, or the modular virtqemud) listens. */
static const char * const local_sockets[] = {
  "/run/libvirt/libvirt-sock",
  "/run/libvirt/virtqemud-sock",
};

#define LOCAL_SYSTEM_URI "qemu:///system"

struct _MwConnectionList
{
  GObject parent_instance;

  /* Owned */
  GSettings *settings;       /* NULL: nothing is read or written */
  GPtrArray *connections;    /* MwConnection, in list order */
  GHashTable *unsaved;       /* MwConnection (borrowed from connections) added with save = FALSE */
  GCancellable *cancellable; /* cancels autoconnects when the list goes */
};

static void mw_connection_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MwConnectionList, mw_connection_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      mw_connection_list_model_init))

G_DEFINE_QUARK (mw-connection-list-error-quark, mw_connection_list_error)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel */

static GType
mw_connection_list_get_item_type (GListModel *model)
{
  return MW_TYPE_CONNECTION;
}

static guint
mw_connection_list_get_n_items (GListModel *model)
{
  return MW_CONNECTION_LIST (model)->connections->len;
}

static gpointer
mw_connection_list_get_item (GListModel *model,
                             guint       position)
{
  MwConnectionList *self = MW_CONNECTION_LIST (model);

  if (position >= self->connections->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->connections, position));
}

static void
mw_connection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = mw_connection_list_get_item_type;
  iface->get_n_items = mw_connection_list_get_n_items;
  iface->get_item = mw_connection_list_get_item;
}

/* Persistence */

static void
save_to_settings (MwConnectionList *self)
{
  g_autoptr(GStrvBuilder) uris = NULL;
  g_autoptr(GStrvBuilder) autoconnect = NULL;
  g_auto(GStrv) uris_strv = NULL;
  g_auto(GStrv) autoconnect_strv = NULL;

  if (self->settings == NULL)
    return;

  uris = g_strv_builder_new ();
  autoconnect = g_strv_builder_new ();

  for (guint i = 0; i < self->connections->len; i++)
    {
      MwConnection *connection = g_ptr_array_index (self->connections, i);

      if (g_hash_table_contains (self->unsaved, connection))
        continue;

      g_strv_builder_add (uris, mw_connection_get_uri (connection));
      if (mw_connection_get_autoconnect (connection))
        g_strv_builder_add (autoconnect, mw_connection_get_uri (connection));
    }

  uris_strv = g_strv_builder_end (uris);
  autoconnect_strv = g_strv_builder_end (autoconnect);

  g_settings_set_strv (self->settings, "connections", (const char * const *) uris_strv);
  g_settings_set_strv (self->settings, "autoconnect", (const char * const *) autoconnect_strv);
}

static void
on_connection_autoconnect_changed_cb (MwConnection     *connection,
                                      GParamSpec       *pspec,
                                      MwConnectionList *self)
{
  if (!g_hash_table_contains (self->unsaved, connection))
    save_to_settings (self);
}

/* Two spellings of one connection (qemu://h/system and qemu+tls://h/system) are the same. */
static char *
canonical_uri (const char *uri)
{
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, NULL);

  return parsed != NULL ? mw_uri_to_string (parsed) : g_strdup (uri);
}

/* Appends without saving or notifying; the caller does both. */
static MwConnection *
append_connection (MwConnectionList *self,
                   const char       *uri,
                   gboolean          autoconnect,
                   gboolean          save)
{
  MwConnection *connection = mw_connection_new (uri);

  mw_connection_set_autoconnect (connection, autoconnect);
  g_signal_connect (connection, "notify::autoconnect",
                    G_CALLBACK (on_connection_autoconnect_changed_cb), self);
  g_ptr_array_add (self->connections, connection);
  if (!save)
    g_hash_table_add (self->unsaved, connection);

  return connection;
}

static void
release_connection (gpointer data,
                    gpointer user_data)
{
  MwConnection *connection = data;
  MwConnectionList *self = user_data;

  g_signal_handlers_disconnect_by_func (connection, on_connection_autoconnect_changed_cb, self);
  mw_connection_disconnect (connection);
}

static gboolean
local_libvirt_is_running (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (local_sockets); i++)
    {
      if (g_file_test (local_sockets[i], G_FILE_TEST_EXISTS))
        return TRUE;
    }

  return FALSE;
}

/* First start: what a new user most likely wants to see. */
static void
seed_defaults (MwConnectionList *self)
{
  g_auto(GStrv) demo_uris = mw_uri_get_demo_uris ();

  if (local_libvirt_is_running ())
    append_connection (self, LOCAL_SYSTEM_URI, TRUE, TRUE);

  for (guint i = 0; demo_uris[i] != NULL; i++)
    append_connection (self, demo_uris[i], TRUE, TRUE);
}

/* GObject */

static void
mw_connection_list_dispose (GObject *object)
{
  MwConnectionList *self = MW_CONNECTION_LIST (object);

  g_cancellable_cancel (self->cancellable);
  if (self->connections != NULL)
    g_ptr_array_foreach (self->connections, release_connection, self);
  g_clear_pointer (&self->unsaved, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mw_connection_list_parent_class)->dispose (object);
}

static void
mw_connection_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MwConnectionList *self = MW_CONNECTION_LIST (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MwConnectionList *self = MW_CONNECTION_LIST (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_connection_list_class_init (MwConnectionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_connection_list_dispose;
  object_class->get_property = mw_connection_list_get_property;
  object_class->set_property = mw_connection_list_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_connection_list_init (MwConnectionList *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->unsaved = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
}

/* Public API */

MwConnectionList *
mw_connection_list_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (MW_TYPE_CONNECTION_LIST, "settings", settings, NULL);
}

/* Replaces the list with what GSettings holds, or with the defaults on first start. Without
 * settings the list stays as it is: there is nothing to load. */
void
mw_connection_list_load (MwConnectionList *self,
                         gboolean          offer_defaults)
{
  g_autoptr(GVariant) user_value = NULL;
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) autoconnect = NULL;
  guint n_removed;

  g_return_if_fail (MW_IS_CONNECTION_LIST (self));

  if (self->settings == NULL)
    return;

  n_removed = self->connections->len;
  g_ptr_array_foreach (self->connections, release_connection, self);
  g_hash_table_remove_all (self->unsaved);
  g_ptr_array_set_size (self->connections, 0);

  user_value = g_settings_get_user_value (self->settings, "connections");
  if (user_value == NULL)
    {
      if (offer_defaults)
        {
          seed_defaults (self);
          save_to_settings (self);
        }
    }
  else
    {
      uris = g_settings_get_strv (self->settings, "connections");
      autoconnect = g_settings_get_strv (self->settings, "autoconnect");

      for (guint i = 0; uris[i] != NULL; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(MwUri) parsed = mw_uri_parse (uris[i], &error);

          /* A hand-edited or outdated entry is skipped, not fatal; the next save drops it. */
          if (parsed == NULL)
            {
              g_message ("Ignoring saved connection “%s”: %s", uris[i], error->message);
              continue;
            }
          if (mw_connection_list_find (self, uris[i]) != NULL)
            continue;

          append_connection (self, uris[i], g_strv_contains ((const char * const *) autoconnect,
                                                             uris[i]), TRUE);
        }
    }

  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_removed, self->connections->len);
}

MwConnection *
mw_connection_list_add (MwConnectionList  *self,
                        const char        *uri,
                        gboolean           autoconnect,
                        gboolean           save,
                        GError           **error)
{
  g_autoptr(MwUri) parsed = NULL;
  MwConnection *existing;
  MwConnection *connection;

  g_return_val_if_fail (MW_IS_CONNECTION_LIST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parsed = mw_uri_parse (uri, error);
  if (parsed == NULL)
    return NULL;

  existing = mw_connection_list_find (self, uri);
  if (existing != NULL)
    {
      g_set_error (error, MW_CONNECTION_LIST_ERROR, MW_CONNECTION_LIST_ERROR_EXISTS,
                   _("“%s” is already in the list of connections."),
                   mw_connection_get_title (existing));
      return NULL;
    }

  connection = append_connection (self, uri, autoconnect, save);
  if (save)
    save_to_settings (self);

  g_list_model_items_changed (G_LIST_MODEL (self), self->connections->len - 1, 0, 1);

  return connection;
}

void
mw_connection_list_remove (MwConnectionList *self,
                           MwConnection     *connection)
{
  g_autoptr(MwConnection) removed = NULL;
  gboolean was_saved;
  guint position;

  g_return_if_fail (MW_IS_CONNECTION_LIST (self));
  g_return_if_fail (MW_IS_CONNECTION (connection));

  if (!g_ptr_array_find (self->connections, connection, &position))
    return;

  was_saved = !g_hash_table_remove (self->unsaved, connection);
  release_connection (connection, self);
  removed = g_ptr_array_steal_index (self->connections, position);

  if (was_saved)
    save_to_settings (self);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

MwConnection *
mw_connection_list_find (MwConnectionList *self,
                         const char       *uri)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (MW_IS_CONNECTION_LIST (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  canonical = canonical_uri (uri);

  for (guint i = 0; i < self->connections->len; i++)
    {
      MwConnection *connection = g_ptr_array_index (self->connections, i);
      g_autofree char *other = NULL;

      if (g_str_equal (mw_connection_get_uri (connection), uri))
        return connection;

      other = canonical_uri (mw_connection_get_uri (connection));
      if (g_str_equal (canonical, other))
        return connection;
    }

  return NULL;
}

void
mw_connection_list_autoconnect (MwConnectionList *self)
{
  g_return_if_fail (MW_IS_CONNECTION_LIST (self));

  for (guint i = 0; i < self->connections->len; i++)
    {
      MwConnection *connection = g_ptr_array_index (self->connections, i);
      MwConnectionState state = mw_connection_get_state (connection);

      if (!mw_connection_get_autoconnect (connection))
        continue;

      /* The outcome shows in the connection's own state and error-message. */
      if (state == MW_CONNECTION_STATE_DISCONNECTED || state == MW_CONNECTION_STATE_FAILED)
        mw_connection_connect_async (connection, self->cancellable, NULL, NULL);
    }
}
