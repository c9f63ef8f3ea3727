/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-virt-manager.c: reads virt-manager's saved connections (see the header). */
#include "config.h"

#include "mw-uri.h"
#include "mw-virt-manager.h"

static gboolean
has_strv_key (GSettingsSchema *schema,
              const char      *name)
{
  g_autoptr(GSettingsSchemaKey) key = NULL;

  if (!g_settings_schema_has_key (schema, name))
    return FALSE;
  key = g_settings_schema_get_key (schema, name);
  return g_variant_type_equal (g_settings_schema_key_get_value_type (key),
                               G_VARIANT_TYPE_STRING_ARRAY);
}

GStrv
mw_virt_manager_new_uris (MwConnectionList *list,
                          GStrv            *autoconnect)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) found_auto = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) opened = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (MW_IS_CONNECTION_LIST (list), NULL);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, MW_VIRT_MANAGER_SCHEMA, TRUE);
  /* Only a schema with the keys we read, typed as we read them: another would abort
   * g_settings_get_strv. */
  if (schema == NULL || !has_strv_key (schema, "uris") || !has_strv_key (schema, "autoconnect"))
    return NULL;

  settings = g_settings_new_full (schema, NULL, NULL);
  uris = g_settings_get_strv (settings, "uris");
  opened = g_settings_get_strv (settings, "autoconnect");

  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr(MwUri) parsed = mw_uri_parse (uris[i], NULL);

      if (parsed == NULL || mw_connection_list_find (list, uris[i]) != NULL ||
          !g_hash_table_add (seen, uris[i]))
        continue;
      g_strv_builder_add (found, uris[i]);
      if (g_strv_contains ((const char * const *) opened, uris[i]))
        g_strv_builder_add (found_auto, uris[i]);
    }

  if (autoconnect != NULL)
    *autoconnect = g_strv_builder_end (found_auto);
  return g_strv_builder_end (found);
}
