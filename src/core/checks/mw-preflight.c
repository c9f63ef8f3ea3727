/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-preflight.c: the MwPreflight object and its result model: the checks in display order,
 * the counts of blocking, warning and failed ones, and the whole as JSON. Running a pass is in
 * mw-preflight-run.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-preflight-private.h"

G_DEFINE_QUARK (mw-preflight-error-quark, mw_preflight_error)

G_DEFINE_FINAL_TYPE (MwPreflight, mw_preflight, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SOURCE_URI,
  PROP_DEST_URI,
  PROP_DOMAIN,
  PROP_CHECKS,
  PROP_TIMEOUT,
  PROP_LINK_BPS,
  PROP_RUNNING,
  PROP_N_BLOCKING,
  PROP_N_WARNINGS,
  PROP_N_ERRORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Counting */

void
mw_preflight_update_summary (MwPreflight *self)
{
  guint n_blocking = 0, n_warnings = 0, n_errors = 0;
  gboolean running = self->gathering;

  for (guint i = 0; i < self->slots->len; i++)
    {
      MwPreflightSlot *slot = &g_array_index (self->slots, MwPreflightSlot, i);

      switch (mw_check_get_state (slot->check))
        {
        case MW_CHECK_STATE_BLOCKING:
          n_blocking++;
          break;
        case MW_CHECK_STATE_WARNING:
          n_warnings++;
          break;
        case MW_CHECK_STATE_ERROR:
          n_errors++;
          break;
        case MW_CHECK_STATE_RUNNING:
          running = TRUE;
          break;
        case MW_CHECK_STATE_PENDING:
        case MW_CHECK_STATE_PASSED:
        default:
          break;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_blocking != n_blocking)
    {
      self->n_blocking = n_blocking;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BLOCKING]);
    }
  if (self->n_warnings != n_warnings)
    {
      self->n_warnings = n_warnings;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WARNINGS]);
    }
  if (self->n_errors != n_errors)
    {
      self->n_errors = n_errors;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERRORS]);
    }
  if (self->running != running)
    {
      self->running = running;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
mw_preflight_replace_spec (MwPreflight       *self,
                           const MwCheckSpec *spec)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      MwPreflightSlot *slot = &g_array_index (self->slots, MwPreflightSlot, i);

      if (g_str_equal (mw_check_get_id (slot->check), spec->id))
        {
          g_assert (!slot->running);
          slot->spec = spec;
          return;
        }
    }
  g_assert_not_reached ();
}

JsonNode *
mw_preflight_to_json (MwPreflight *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->checks));

  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, self->source_uri);
  json_builder_set_member_name (builder, "destination");
  json_builder_add_string_value (builder, self->dest_uri);
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, self->domain);
  json_builder_set_member_name (builder, "running");
  json_builder_add_boolean_value (builder, self->running);
  json_builder_set_member_name (builder, "n_blocking");
  json_builder_add_int_value (builder, self->n_blocking);
  json_builder_set_member_name (builder, "n_warnings");
  json_builder_add_int_value (builder, self->n_warnings);
  json_builder_set_member_name (builder, "n_errors");
  json_builder_add_int_value (builder, self->n_errors);
  json_builder_set_member_name (builder, "checks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MwCheck) check = g_list_model_get_item (G_LIST_MODEL (self->checks), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, mw_check_get_id (check));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, mw_check_get_title (check));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, mw_check_state_to_nick (mw_check_get_state (check)));
      json_builder_set_member_name (builder, "sentence");
      json_builder_add_string_value (builder, mw_check_get_sentence (check));
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, mw_check_get_detail (check));
      json_builder_set_member_name (builder, "fix");
      json_builder_add_string_value (builder, mw_check_get_fix (check));
      json_builder_set_member_name (builder, "can_fix");
      json_builder_add_boolean_value (builder, mw_check_get_can_fix (check));
      json_builder_set_member_name (builder, "fix_label");
      json_builder_add_string_value (builder, mw_check_get_fix_label (check));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* GObject */

static void
mw_preflight_dispose (GObject *object)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  mw_preflight_clear_run (self);
  g_clear_object (&self->checks);
  g_clear_object (&self->hosts);

  G_OBJECT_CLASS (mw_preflight_parent_class)->dispose (object);
}

static void
mw_preflight_finalize (GObject *object)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  for (guint i = 0; i < self->slots->len; i++)
    g_object_unref (g_array_index (self->slots, MwPreflightSlot, i).check);
  g_array_unref (self->slots);
  g_free (self->source_uri);
  g_free (self->dest_uri);
  g_free (self->domain);
  mw_migration_options_free (self->options);

  G_OBJECT_CLASS (mw_preflight_parent_class)->finalize (object);
}

static void
mw_preflight_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      g_value_set_string (value, self->source_uri);
      break;
    case PROP_DEST_URI:
      g_value_set_string (value, self->dest_uri);
      break;
    case PROP_DOMAIN:
      g_value_set_string (value, self->domain);
      break;
    case PROP_CHECKS:
      g_value_set_object (value, self->checks);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;
    case PROP_LINK_BPS:
      g_value_set_uint64 (value, self->link_bps);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_N_BLOCKING:
      g_value_set_uint (value, self->n_blocking);
      break;
    case PROP_N_WARNINGS:
      g_value_set_uint (value, self->n_warnings);
      break;
    case PROP_N_ERRORS:
      g_value_set_uint (value, self->n_errors);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_preflight_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MwPreflight *self = MW_PREFLIGHT (object);

  switch (prop_id)
    {
    case PROP_SOURCE_URI:
      self->source_uri = g_value_dup_string (value);
      break;
    case PROP_DEST_URI:
      self->dest_uri = g_value_dup_string (value);
      break;
    case PROP_DOMAIN:
      self->domain = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      mw_preflight_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_LINK_BPS:
      mw_preflight_set_link_bps (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_preflight_class_init (MwPreflightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct =
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_preflight_dispose;
  object_class->finalize = mw_preflight_finalize;
  object_class->get_property = mw_preflight_get_property;
  object_class->set_property = mw_preflight_set_property;

  properties[PROP_SOURCE_URI] = g_param_spec_string ("source-uri", NULL, NULL, NULL, construct);
  properties[PROP_DEST_URI] = g_param_spec_string ("dest-uri", NULL, NULL, NULL, construct);
  properties[PROP_DOMAIN] = g_param_spec_string ("domain", NULL, NULL, NULL, construct);
  properties[PROP_CHECKS] = g_param_spec_object ("checks", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 1, 3600,
                                                MW_PREFLIGHT_DEFAULT_TIMEOUT_S, rw);
  properties[PROP_LINK_BPS] = g_param_spec_uint64 ("link-bps", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_N_BLOCKING] = g_param_spec_uint ("n-blocking", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_WARNINGS] = g_param_spec_uint ("n-warnings", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_ERRORS] = g_param_spec_uint ("n-errors", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_preflight_init (MwPreflight *self)
{
  const MwCheckSpec *specs;
  guint n_specs;

  self->timeout_s = MW_PREFLIGHT_DEFAULT_TIMEOUT_S;
  self->checks = g_list_store_new (MW_TYPE_CHECK);
  self->slots = g_array_new (FALSE, TRUE, sizeof (MwPreflightSlot));

  specs = mw_check_specs_get (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      MwPreflightSlot slot = { mw_check_new (specs[i].id, _(specs[i].title)), &specs[i], 0, 0,
                               FALSE };

      /* The worker calls one of them (mw-check-rules.h). */
      g_assert ((specs[i].eval != NULL) != (specs[i].run != NULL));
      g_array_append_val (self->slots, slot);
      g_list_store_append (self->checks, slot.check);
    }
}

MwPreflight *
mw_preflight_new (const char               *source_uri,
                  const char               *dest_uri,
                  const char               *domain,
                  const MwMigrationOptions *options)
{
  MwPreflight *self;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (dest_uri != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  self = g_object_new (MW_TYPE_PREFLIGHT, "source-uri", source_uri, "dest-uri", dest_uri,
                       "domain", domain, NULL);
  self->options = options != NULL ? mw_migration_options_copy (options)
                                  : mw_migration_options_new_defaults ();
  return self;
}

const char *
mw_preflight_get_source_uri (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->source_uri;
}

const char *
mw_preflight_get_dest_uri (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->dest_uri;
}

const char *
mw_preflight_get_domain (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->domain;
}

GListModel *
mw_preflight_get_checks (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return G_LIST_MODEL (self->checks);
}

MwCheck *
mw_preflight_find_check (MwPreflight *self,
                         const char  *id)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);

  for (guint i = 0; i < self->slots->len; i++)
    if (g_str_equal (mw_check_get_id (g_array_index (self->slots, MwPreflightSlot, i).check), id))
      return g_array_index (self->slots, MwPreflightSlot, i).check;
  return NULL;
}

const MwForecast *
mw_preflight_get_forecast (MwPreflight *self)
{
  MwCheck *check;

  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);

  check = mw_preflight_find_check (self, "forecast");
  return check != NULL ? mw_check_get_forecast (check) : NULL;
}

guint
mw_preflight_get_timeout (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->timeout_s;
}

void
mw_preflight_set_timeout (MwPreflight *self,
                          guint        seconds)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout_s == seconds)
    return;
  self->timeout_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint64
mw_preflight_get_link_bps (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->link_bps;
}

void
mw_preflight_set_link_bps (MwPreflight *self,
                           guint64      bytes_per_s)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));

  if (self->link_bps == bytes_per_s)
    return;
  self->link_bps = bytes_per_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK_BPS]);
}

MwPreflightHosts *
mw_preflight_get_hosts (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), NULL);
  return self->hosts;
}

void
mw_preflight_set_hosts (MwPreflight      *self,
                        MwPreflightHosts *hosts)
{
  g_return_if_fail (MW_IS_PREFLIGHT (self));
  g_return_if_fail (hosts == NULL || MW_IS_PREFLIGHT_HOSTS (hosts));
  g_set_object (&self->hosts, hosts);
}

gboolean
mw_preflight_get_running (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), FALSE);
  return self->running;
}

guint
mw_preflight_get_n_blocking (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->n_blocking;
}

guint
mw_preflight_get_n_warnings (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->n_warnings;
}

guint
mw_preflight_get_n_errors (MwPreflight *self)
{
  g_return_val_if_fail (MW_IS_PREFLIGHT (self), 0);
  return self->n_errors;
}
