/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-evacuation-item.c: one guest of an evacuation; see mw-evacuation-item.h. Main thread. */

#include "config.h"

#include "mw-core-enums.h"
#include "mw-evacuation-item.h"

struct _MwEvacuationItem
{
  GObject parent_instance;

  /* Owned */
  char *name;
  char *source_uri;
  char *destination;
  char *reason;
  char *location;
  char *message;
  char *ping_address;
  MwPreflight *preflight;
  MwMigrationJob *job;

  guint64 memory_kib;
  gboolean was_running;
  gboolean was_paused;
  int priority;
  MwEvacuationGroup group;
  MwEvacuationAction action;
  MwEvacuationState state;
  gboolean verified;
  gint64 time_ms;
  gint64 downtime_ms;
  gint64 ping_gap_us;
};

G_DEFINE_FINAL_TYPE (MwEvacuationItem, mw_evacuation_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_SOURCE_URI,
  PROP_MEMORY_KIB,
  PROP_WAS_RUNNING,
  PROP_PRIORITY,
  PROP_DESTINATION,
  PROP_GROUP,
  PROP_REASON,
  PROP_ACTION,
  PROP_PREFLIGHT,
  PROP_STATE,
  PROP_JOB,
  PROP_LOCATION,
  PROP_VERIFIED,
  PROP_MESSAGE,
  PROP_PING_ADDRESS,
  PROP_TIME_MS,
  PROP_DOWNTIME_MS,
  PROP_PING_GAP_US,
  PROP_WAS_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mw_evacuation_item_dispose (GObject *object)
{
  MwEvacuationItem *self = MW_EVACUATION_ITEM (object);

  g_clear_object (&self->preflight);
  g_clear_object (&self->job);
  G_OBJECT_CLASS (mw_evacuation_item_parent_class)->dispose (object);
}

static void
mw_evacuation_item_finalize (GObject *object)
{
  MwEvacuationItem *self = MW_EVACUATION_ITEM (object);

  g_free (self->name);
  g_free (self->source_uri);
  g_free (self->destination);
  g_free (self->reason);
  g_free (self->location);
  g_free (self->message);
  g_free (self->ping_address);
  G_OBJECT_CLASS (mw_evacuation_item_parent_class)->finalize (object);
}

static void
mw_evacuation_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MwEvacuationItem *self = MW_EVACUATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SOURCE_URI:
      g_value_set_string (value, self->source_uri);
      break;
    case PROP_MEMORY_KIB:
      g_value_set_uint64 (value, self->memory_kib);
      break;
    case PROP_WAS_RUNNING:
      g_value_set_boolean (value, self->was_running);
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    case PROP_DESTINATION:
      g_value_set_string (value, self->destination);
      break;
    case PROP_GROUP:
      g_value_set_enum (value, self->group);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;
    case PROP_PREFLIGHT:
      g_value_set_object (value, self->preflight);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_VERIFIED:
      g_value_set_boolean (value, self->verified);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_PING_ADDRESS:
      g_value_set_string (value, self->ping_address);
      break;
    case PROP_TIME_MS:
      g_value_set_int64 (value, self->time_ms);
      break;
    case PROP_DOWNTIME_MS:
      g_value_set_int64 (value, self->downtime_ms);
      break;
    case PROP_PING_GAP_US:
      g_value_set_int64 (value, self->ping_gap_us);
      break;
    case PROP_WAS_PAUSED:
      g_value_set_boolean (value, self->was_paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_item_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MwEvacuationItem *self = MW_EVACUATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_SOURCE_URI:
      self->source_uri = g_value_dup_string (value);
      break;
    case PROP_MEMORY_KIB:
      self->memory_kib = g_value_get_uint64 (value);
      break;
    case PROP_WAS_RUNNING:
      self->was_running = g_value_get_boolean (value);
      break;
    case PROP_PRIORITY:
      mw_evacuation_item_set_priority (self, g_value_get_int (value));
      break;
    case PROP_DESTINATION:
      mw_evacuation_item_set_destination (self, g_value_get_string (value));
      break;
    case PROP_ACTION:
      mw_evacuation_item_set_action (self, g_value_get_enum (value));
      break;
    case PROP_PING_ADDRESS:
      mw_evacuation_item_set_ping_address (self, g_value_get_string (value));
      break;
    case PROP_WAS_PAUSED:
      mw_evacuation_item_set_was_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_evacuation_item_class_init (MwEvacuationItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_evacuation_item_dispose;
  object_class->finalize = mw_evacuation_item_finalize;
  object_class->get_property = mw_evacuation_item_get_property;
  object_class->set_property = mw_evacuation_item_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, co);
  properties[PROP_SOURCE_URI] = g_param_spec_string ("source-uri", NULL, NULL, NULL, co);
  properties[PROP_MEMORY_KIB] =
    g_param_spec_uint64 ("memory-kib", NULL, NULL, 0, G_MAXUINT64, 0, co);
  properties[PROP_WAS_RUNNING] = g_param_spec_boolean ("was-running", NULL, NULL, FALSE, co);
  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_DESTINATION] = g_param_spec_string ("destination", NULL, NULL, NULL, rw);
  properties[PROP_GROUP] =
    g_param_spec_enum ("group", NULL, NULL, MW_TYPE_EVACUATION_GROUP,
                       MW_EVACUATION_GROUP_UNCHECKED, ro);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  properties[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL, MW_TYPE_EVACUATION_ACTION,
                       MW_EVACUATION_ACTION_MIGRATE, rw);
  properties[PROP_PREFLIGHT] =
    g_param_spec_object ("preflight", NULL, NULL, MW_TYPE_PREFLIGHT, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_EVACUATION_STATE,
                       MW_EVACUATION_STATE_QUEUED, ro);
  properties[PROP_JOB] = g_param_spec_object ("job", NULL, NULL, MW_TYPE_MIGRATION_JOB, ro);
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, ro);
  properties[PROP_VERIFIED] = g_param_spec_boolean ("verified", NULL, NULL, FALSE, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_PING_ADDRESS] = g_param_spec_string ("ping-address", NULL, NULL, NULL, rw);
  /* -1: not known */
  properties[PROP_TIME_MS] =
    g_param_spec_int64 ("time-ms", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_DOWNTIME_MS] =
    g_param_spec_int64 ("downtime-ms", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_PING_GAP_US] =
    g_param_spec_int64 ("ping-gap-us", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_WAS_PAUSED] = g_param_spec_boolean ("was-paused", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_evacuation_item_init (MwEvacuationItem *self)
{
  self->time_ms = -1;
  self->downtime_ms = -1;
  self->ping_gap_us = -1;
}

MwEvacuationItem *
mw_evacuation_item_new (const char *name,
                        const char *source_uri,
                        guint64     memory_kib,
                        gboolean    was_running)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (source_uri != NULL, NULL);

  return g_object_new (MW_TYPE_EVACUATION_ITEM, "name", name, "source-uri", source_uri,
                       "memory-kib", memory_kib, "was-running", was_running, NULL);
}

/* Replaces *field with value; TRUE when that changed it. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
mw_evacuation_item_get_name (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->name;
}

const char *
mw_evacuation_item_get_source_uri (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->source_uri;
}

guint64
mw_evacuation_item_get_memory_kib (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), 0);
  return self->memory_kib;
}

gboolean
mw_evacuation_item_get_was_running (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), FALSE);
  return self->was_running;
}

gboolean
mw_evacuation_item_get_was_paused (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), FALSE);
  return self->was_paused;
}

void
mw_evacuation_item_set_was_paused (MwEvacuationItem *self,
                                   gboolean          was_paused)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  was_paused = !!was_paused;
  if (self->was_paused == was_paused)
    return;
  self->was_paused = was_paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAS_PAUSED]);
}

int
mw_evacuation_item_get_priority (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), 0);
  return self->priority;
}

void
mw_evacuation_item_set_priority (MwEvacuationItem *self,
                                 int               priority)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (self->priority == priority)
    return;
  self->priority = priority;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}

const char *
mw_evacuation_item_get_destination (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->destination;
}

void
mw_evacuation_item_set_destination (MwEvacuationItem *self,
                                    const char       *uri)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (set_string (&self->destination, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
}

MwEvacuationGroup
mw_evacuation_item_get_group (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), MW_EVACUATION_GROUP_UNCHECKED);
  return self->group;
}

const char *
mw_evacuation_item_get_reason (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->reason;
}

void
mw_evacuation_item_set_group (MwEvacuationItem *self,
                              MwEvacuationGroup group,
                              const char       *reason)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (self->group != group)
    {
      self->group = group;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
    }
  if (set_string (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
  g_object_thaw_notify (G_OBJECT (self));
}

MwEvacuationAction
mw_evacuation_item_get_action (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), MW_EVACUATION_ACTION_LEAVE);
  return self->action;
}

void
mw_evacuation_item_set_action (MwEvacuationItem  *self,
                               MwEvacuationAction action)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (self->action == action)
    return;
  self->action = action;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION]);
}

MwPreflight *
mw_evacuation_item_get_preflight (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->preflight;
}

void
mw_evacuation_item_set_preflight (MwEvacuationItem *self,
                                  MwPreflight      *preflight)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (g_set_object (&self->preflight, preflight))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFLIGHT]);
}

const char *
mw_evacuation_item_get_ping_address (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->ping_address;
}

void
mw_evacuation_item_set_ping_address (MwEvacuationItem *self,
                                     const char       *address)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (set_string (&self->ping_address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_ADDRESS]);
}

MwEvacuationState
mw_evacuation_item_get_state (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), MW_EVACUATION_STATE_QUEUED);
  return self->state;
}

void
mw_evacuation_item_set_state (MwEvacuationItem *self,
                              MwEvacuationState state)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

MwMigrationJob *
mw_evacuation_item_get_job (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->job;
}

void
mw_evacuation_item_set_job (MwEvacuationItem *self,
                            MwMigrationJob   *job)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (g_set_object (&self->job, job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

const char *
mw_evacuation_item_get_location (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->location;
}

gboolean
mw_evacuation_item_get_verified (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), FALSE);
  return self->verified;
}

void
mw_evacuation_item_set_location (MwEvacuationItem *self,
                                 const char       *uri,
                                 gboolean          verified)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (set_string (&self->location, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
  if (self->verified != verified)
    {
      self->verified = verified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFIED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
mw_evacuation_item_get_message (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), NULL);
  return self->message;
}

void
mw_evacuation_item_set_message (MwEvacuationItem *self,
                                const char       *message)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  if (set_string (&self->message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

gint64
mw_evacuation_item_get_time_ms (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), -1);
  return self->time_ms;
}

gint64
mw_evacuation_item_get_downtime_ms (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), -1);
  return self->downtime_ms;
}

gint64
mw_evacuation_item_get_ping_gap_us (MwEvacuationItem *self)
{
  g_return_val_if_fail (MW_IS_EVACUATION_ITEM (self), -1);
  return self->ping_gap_us;
}

void
mw_evacuation_item_set_figures (MwEvacuationItem *self,
                                gint64            time_ms,
                                gint64            downtime_ms,
                                gint64            ping_gap_us)
{
  g_return_if_fail (MW_IS_EVACUATION_ITEM (self));
  g_object_freeze_notify (G_OBJECT (self));
  if (self->time_ms != time_ms)
    {
      self->time_ms = time_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_MS]);
    }
  if (self->downtime_ms != downtime_ms)
    {
      self->downtime_ms = downtime_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNTIME_MS]);
    }
  if (self->ping_gap_us != ping_gap_us)
    {
      self->ping_gap_us = ping_gap_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_GAP_US]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  const char *nick = enum_value != NULL ? enum_value->value_nick : "unknown";

  /* Enum classes of the core stay alive for the process: the nick outlives the unref. */
  g_type_class_unref (klass);
  return nick;
}

const char *
mw_evacuation_group_to_nick (MwEvacuationGroup group)
{
  return enum_nick (MW_TYPE_EVACUATION_GROUP, group);
}

const char *
mw_evacuation_action_to_nick (MwEvacuationAction action)
{
  return enum_nick (MW_TYPE_EVACUATION_ACTION, action);
}

const char *
mw_evacuation_state_to_nick (MwEvacuationState state)
{
  return enum_nick (MW_TYPE_EVACUATION_STATE, state);
}

gboolean
mw_evacuation_action_from_nick (const char         *nick,
                                MwEvacuationAction *action)
{
  GEnumClass *klass = g_type_class_ref (MW_TYPE_EVACUATION_ACTION);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (value != NULL)
    *action = value->value;
  g_type_class_unref (klass);
  return value != NULL;
}
