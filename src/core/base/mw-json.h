/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-json.h: one member of a JSON object being built, in the forms the reports use. */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A string, or null for NULL. */
void mw_json_add_string   (JsonBuilder *builder,
                           const char  *name,
                           const char  *value);
/* An unsigned count, capped at G_MAXINT64. */
void mw_json_add_u64      (JsonBuilder *builder,
                           const char  *name,
                           guint64      value);
void mw_json_add_int      (JsonBuilder *builder,
                           const char  *name,
                           gint64       value);
/* A non-negative value, or null for a negative one (unknown). */
void mw_json_add_optional (JsonBuilder *builder,
                           const char  *name,
                           gint64       value);
void mw_json_add_bool     (JsonBuilder *builder,
                           const char  *name,
                           gboolean     value);

G_END_DECLS
