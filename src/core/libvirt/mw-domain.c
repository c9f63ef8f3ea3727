/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-domain.c: one libvirt domain as the models and the UI see it. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-core-enums.h"
#include "mw-connection.h"
#include "mw-domain.h"

struct _MwDomain
{
  GObject parent_instance;

  /* Borrowed: the connection owns the list that owns us; cleared by a weak pointer. */
  MwConnection *connection;

  /* Owned */
  char *name;
  char *uuid;
  MwDomainState state;
  guint vcpus;
  guint64 memory_kib;
  guint64 max_memory_kib;
  gboolean persistent;
  gboolean migrating;
};

G_DEFINE_FINAL_TYPE (MwDomain, mw_domain, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTION,
  PROP_NAME,
  PROP_UUID,
  PROP_STATE,
  PROP_VCPUS,
  PROP_MEMORY_KIB,
  PROP_MAX_MEMORY_KIB,
  PROP_PERSISTENT,
  PROP_MIGRATING,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
mw_domain_info_clear (MwDomainInfo *info)
{
  g_return_if_fail (info != NULL);

  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->uuid, g_free);
  info->state = MW_DOMAIN_STATE_NOSTATE;
  info->vcpus = 0;
  info->memory_kib = 0;
  info->max_memory_kib = 0;
  info->persistent = FALSE;
  info->migrating = FALSE;
}

static void
mw_domain_dispose (GObject *object)
{
  MwDomain *self = MW_DOMAIN (object);

  g_clear_weak_pointer (&self->connection);

  G_OBJECT_CLASS (mw_domain_parent_class)->dispose (object);
}

static void
mw_domain_finalize (GObject *object)
{
  MwDomain *self = MW_DOMAIN (object);

  g_free (self->name);
  g_free (self->uuid);

  G_OBJECT_CLASS (mw_domain_parent_class)->finalize (object);
}

static void
mw_domain_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MwDomain *self = MW_DOMAIN (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;
    case PROP_MEMORY_KIB:
      g_value_set_uint64 (value, self->memory_kib);
      break;
    case PROP_MAX_MEMORY_KIB:
      g_value_set_uint64 (value, self->max_memory_kib);
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    case PROP_MIGRATING:
      g_value_set_boolean (value, self->migrating);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, mw_domain_is_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_domain_class_init (MwDomainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mw_domain_dispose;
  object_class->finalize = mw_domain_finalize;
  object_class->get_property = mw_domain_get_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, MW_TYPE_CONNECTION, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MW_TYPE_DOMAIN_STATE, MW_DOMAIN_STATE_NOSTATE, flags);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_MEMORY_KIB] =
    g_param_spec_uint64 ("memory-kib", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_MAX_MEMORY_KIB] =
    g_param_spec_uint64 ("max-memory-kib", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_PERSISTENT] = g_param_spec_boolean ("persistent", NULL, NULL, FALSE, flags);
  properties[PROP_MIGRATING] = g_param_spec_boolean ("migrating", NULL, NULL, FALSE, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_domain_init (MwDomain *self)
{
}

MwDomain *
mw_domain_new (MwConnection       *connection,
               const MwDomainInfo *info)
{
  MwDomain *self;

  g_return_val_if_fail (connection == NULL || MW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (MW_TYPE_DOMAIN, NULL);
  g_set_weak_pointer (&self->connection, connection);

  /* A fresh object has no listeners yet, so fields are set directly. */
  self->name = g_strdup (info->name);
  self->uuid = g_strdup (info->uuid);
  self->state = info->state;
  self->vcpus = info->vcpus;
  self->memory_kib = info->memory_kib;
  self->max_memory_kib = info->max_memory_kib;
  self->persistent = info->persistent;
  self->migrating = info->migrating;

  return self;
}

void
mw_domain_update (MwDomain           *self,
                  const MwDomainInfo *info)
{
  gboolean was_active;

  g_return_if_fail (MW_IS_DOMAIN (self));
  g_return_if_fail (info != NULL);

  was_active = mw_domain_is_active (self);

  /* Listeners see a consistent domain: every field is set before the first notify. */
  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (self->name, info->name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (info->name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }

  if (g_strcmp0 (self->uuid, info->uuid) != 0)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (info->uuid);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UUID]);
    }

  if (self->state != info->state)
    {
      self->state = info->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (self->vcpus != info->vcpus)
    {
      self->vcpus = info->vcpus;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
    }

  if (self->memory_kib != info->memory_kib)
    {
      self->memory_kib = info->memory_kib;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_KIB]);
    }

  if (self->max_memory_kib != info->max_memory_kib)
    {
      self->max_memory_kib = info->max_memory_kib;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MEMORY_KIB]);
    }

  if (self->persistent != info->persistent)
    {
      self->persistent = info->persistent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
    }

  if (self->migrating != info->migrating)
    {
      self->migrating = info->migrating;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIGRATING]);
    }

  if (was_active != mw_domain_is_active (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);

  g_object_thaw_notify (G_OBJECT (self));
}

MwConnection *
mw_domain_get_connection (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), NULL);

  return self->connection;
}

const char *
mw_domain_get_name (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), NULL);

  return self->name;
}

const char *
mw_domain_get_uuid (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), NULL);

  return self->uuid;
}

MwDomainState
mw_domain_get_state (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), MW_DOMAIN_STATE_NOSTATE);

  return self->state;
}

guint
mw_domain_get_vcpus (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), 0);

  return self->vcpus;
}

guint64
mw_domain_get_memory_kib (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), 0);

  return self->memory_kib;
}

gboolean
mw_domain_is_migrating (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), FALSE);

  return self->migrating;
}

guint64
mw_domain_get_max_memory_kib (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), 0);

  return self->max_memory_kib;
}

gboolean
mw_domain_get_persistent (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), FALSE);

  return self->persistent;
}

/* Active as libvirt means it (virDomainIsActive): the domain has a running process, even when
 * paused, shutting down or suspended to RAM. */
gboolean
mw_domain_is_active (MwDomain *self)
{
  g_return_val_if_fail (MW_IS_DOMAIN (self), FALSE);

  switch (self->state)
    {
    case MW_DOMAIN_STATE_RUNNING:
    case MW_DOMAIN_STATE_BLOCKED:
    case MW_DOMAIN_STATE_PAUSED:
    case MW_DOMAIN_STATE_SHUTDOWN:
    case MW_DOMAIN_STATE_PMSUSPENDED:
      return TRUE;
    case MW_DOMAIN_STATE_NOSTATE:
    case MW_DOMAIN_STATE_SHUTOFF:
    case MW_DOMAIN_STATE_CRASHED:
    default:
      return FALSE;
    }
}

const char *
mw_domain_state_to_string (MwDomainState state)
{
  switch (state)
    {
    case MW_DOMAIN_STATE_NOSTATE:
      return _("Unknown");
    case MW_DOMAIN_STATE_RUNNING:
      return _("Running");
    case MW_DOMAIN_STATE_BLOCKED:
      /* Translators: a domain waiting on I/O; it still counts as running */
      return _("Blocked");
    case MW_DOMAIN_STATE_PAUSED:
      return _("Paused");
    case MW_DOMAIN_STATE_SHUTDOWN:
      return _("Shutting down");
    case MW_DOMAIN_STATE_SHUTOFF:
      return _("Shut off");
    case MW_DOMAIN_STATE_CRASHED:
      return _("Crashed");
    case MW_DOMAIN_STATE_PMSUSPENDED:
      /* Translators: a domain suspended to RAM by its guest OS */
      return _("Suspended");
    default:
      return _("Unknown");
    }
}
