/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-keyring.c: items kept as libsecret keeps them, matched as libsecret matches. */
#include "config.h"

#include "mw-secrets.h"
#include "mw-test-keyring.h"

/* Items as libsecret keeps them: a schema's name, attributes, a secret. */
typedef struct
{
  char *schema;
  GHashTable *attributes;
  char *password;
} FakeItem;

static GPtrArray *keyring;

static void
fake_item_free (gpointer data)
{
  FakeItem *item = data;

  g_free (item->schema);
  g_hash_table_unref (item->attributes);
  g_free (item->password);
  g_free (item);
}

/* Whether item is of schema and has every one of attributes (as libsecret matches). */
static gboolean
fake_item_matches (FakeItem           *item,
                   const SecretSchema *schema,
                   GHashTable         *attributes)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_strcmp0 (item->schema, schema->name) != 0)
    return FALSE;
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (g_hash_table_lookup (item->attributes, key), value) != 0)
      return FALSE;
  return TRUE;
}

static FakeItem *
fake_find (const SecretSchema *schema,
           GHashTable         *attributes)
{
  for (guint i = 0; i < keyring->len; i++)
    if (fake_item_matches (g_ptr_array_index (keyring, i), schema, attributes))
      return g_ptr_array_index (keyring, i);
  return NULL;
}

static gboolean
fake_remove (const SecretSchema *schema,
             GHashTable         *attributes)
{
  gboolean removed = FALSE;

  for (guint i = keyring->len; i > 0; i--)
    if (fake_item_matches (g_ptr_array_index (keyring, i - 1), schema, attributes))
      {
        g_ptr_array_remove_index (keyring, i - 1);
        removed = TRUE;
      }
  return removed;
}

static void
fake_store (const SecretSchema *schema,
            GHashTable         *attributes,
            const char         *label,
            const char         *password,
            GTask              *task)
{
  FakeItem *item = g_new0 (FakeItem, 1);

  fake_remove (schema, attributes);
  item->schema = g_strdup (schema->name);
  item->attributes = g_hash_table_ref (attributes);
  item->password = g_strdup (password);
  g_ptr_array_add (keyring, item);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
fake_lookup (const SecretSchema *schema,
             GHashTable         *attributes,
             GTask              *task)
{
  FakeItem *item = fake_find (schema, attributes);

  g_task_return_pointer (task, item != NULL ? g_strdup (item->password) : NULL, g_free);
  g_object_unref (task);
}

static void
fake_clear (const SecretSchema *schema,
            GHashTable         *attributes,
            GTask              *task)
{
  g_task_return_boolean (task, fake_remove (schema, attributes));
  g_object_unref (task);
}

static const MwSecretsBackend fake_keyring = { fake_store, fake_lookup, fake_clear };

void
mw_test_keyring_install (void)
{
  if (keyring == NULL)
    keyring = g_ptr_array_new_with_free_func (fake_item_free);
  g_ptr_array_set_size (keyring, 0);
  mw_secrets_set_backend (&fake_keyring);
}

const char *
mw_test_keyring_get (const char *host,
                     guint       port,
                     const char *user)
{
  const SecretSchema *schema = mw_secrets_get_schema ();
  g_autoptr(GHashTable) attributes = NULL;
  FakeItem *item;

  g_return_val_if_fail (keyring != NULL, NULL);

  attributes = secret_attributes_build (schema, "host", host, "port", (int) port, "user", user,
                                        NULL);
  item = fake_find (schema, attributes);
  return item != NULL ? item->password : NULL;
}

const char *
mw_test_keyring_get_credential (const char *uri,
                                const char *credential)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  SecretSchema schema = { .name = "com.example.MigWizard.LibvirtCredential" };
  FakeItem *item;

  g_return_val_if_fail (keyring != NULL, NULL);

  g_hash_table_insert (attributes, (gpointer) "uri", (gpointer) uri);
  g_hash_table_insert (attributes, (gpointer) "credential", (gpointer) credential);
  item = fake_find (&schema, attributes);
  return item != NULL ? item->password : NULL;
}

