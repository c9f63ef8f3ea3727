/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-json.c: one member of a JSON object being built; see mw-json.h. Shared by the migration's
 * and the evacuation's reports. */

#include "config.h"

#include "mw-json.h"

void
mw_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
mw_json_add_u64 (JsonBuilder *builder,
                 const char  *name,
                 guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) MIN (value, (guint64) G_MAXINT64));
}

void
mw_json_add_int (JsonBuilder *builder,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
mw_json_add_optional (JsonBuilder *builder,
                      const char  *name,
                      gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
mw_json_add_bool (JsonBuilder *builder,
                  const char  *name,
                  gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}
