/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-plan.c: the destination, options and ping address the pages choose, what the core
 * says of them, and who may be the destination at all.
 *
 * validation-message and virsh-text are recomputed whenever the options or the destination
 * change; the notifications are held back until every field is up to date, so a handler of any
 * of them reads a consistent plan. */
#include "config.h"

#include <glib/gi18n.h>

#include "mw-migration-plan-private.h"
#include "mw-uri.h"

struct _MwMigrationPlan
{
  GObject parent_instance;

  /* Owned */
  MwConnectionList *connections;
  MwDomain *domain;
  MwConnection *source;
  MwConnection *destination;
  MwMigrationOptions *options;
  char *ping_address;
  char *validation_message;
  char *virsh_text;
  MwForecast *forecast;              /* the checks' forecast, NULL: none */
  MwMigrationJob *job;
  MwEvacuationJobFactory job_factory; /* tests only; NULL: mw_migration_job_new */
  gpointer job_factory_data;
};

G_DEFINE_FINAL_TYPE (MwMigrationPlan, mw_migration_plan, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTIONS,
  PROP_DOMAIN,
  PROP_SOURCE,
  PROP_DESTINATION,
  PROP_OPTIONS,
  PROP_PING_ADDRESS,
  PROP_VALIDATION_MESSAGE,
  PROP_VIRSH_TEXT,
  PROP_JOB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str () came with GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
update_validation (MwMigrationPlan *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *virsh = NULL;

  if (!mw_migration_options_validate (self->options, &error))
    message = g_strdup (error->message);
  else if (self->destination != NULL)
    {
      virsh = mw_migration_options_to_virsh_text (self->options,
                                                  mw_connection_get_uri (self->source),
                                                  mw_domain_get_name (self->domain),
                                                  mw_connection_get_uri (self->destination),
                                                  &error);
      if (virsh == NULL)
        message = g_strdup (error->message);
    }

  if (set_str (&self->validation_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATION_MESSAGE]);
  if (set_str (&self->virsh_text, virsh))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIRSH_TEXT]);
}

MwMigrationPlan *
mw_migration_plan_new (MwConnectionList *connections,
                       MwDomain         *domain)
{
  g_return_val_if_fail (MW_IS_CONNECTION_LIST (connections), NULL);
  g_return_val_if_fail (MW_IS_DOMAIN (domain), NULL);

  return g_object_new (MW_TYPE_MIGRATION_PLAN,
                       "connections", connections,
                       "domain", domain,
                       NULL);
}

MwConnectionList *
mw_migration_plan_get_connections (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->connections;
}

MwDomain *
mw_migration_plan_get_domain (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->domain;
}

MwConnection *
mw_migration_plan_get_source (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->source;
}

MwConnection *
mw_migration_plan_get_destination (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->destination;
}

void
mw_migration_plan_set_destination (MwMigrationPlan *self,
                                   MwConnection    *destination)
{
  g_return_if_fail (MW_IS_MIGRATION_PLAN (self));
  g_return_if_fail (destination == NULL || MW_IS_CONNECTION (destination));

  if (self->destination == destination)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_set_object (&self->destination, destination);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
  update_validation (self);
  g_object_thaw_notify (G_OBJECT (self));
}

const MwMigrationOptions *
mw_migration_plan_get_options (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->options;
}

void
mw_migration_plan_set_options (MwMigrationPlan          *self,
                               const MwMigrationOptions *options)
{
  g_return_if_fail (MW_IS_MIGRATION_PLAN (self));
  g_return_if_fail (options != NULL);

  if (mw_migration_options_equal (self->options, options))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  mw_migration_options_free (self->options);
  self->options = mw_migration_options_copy (options);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPTIONS]);
  update_validation (self);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
mw_migration_plan_get_ping_address (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->ping_address;
}

void
mw_migration_plan_set_ping_address (MwMigrationPlan *self,
                                    const char      *address)
{
  g_return_if_fail (MW_IS_MIGRATION_PLAN (self));

  if (set_str (&self->ping_address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_ADDRESS]);
}

const char *
mw_migration_plan_get_validation_message (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->validation_message;
}

const char *
mw_migration_plan_get_virsh_text (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->virsh_text;
}

static const char *
connection_title (MwConnection *connection)
{
  return connection ? mw_connection_get_title (connection) : _("the source");
}

const char *
mw_migration_plan_get_source_title (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return connection_title (self->source);
}

const char *
mw_migration_plan_get_destination_title (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return connection_title (self->destination);
}

/* ---- who can be the destination ------------------------------------------------------------- */

static gboolean
same_hypervisor (const char *a,
                 const char *b,
                 char      **a_title,
                 char      **b_title)
{
  g_autoptr(MwUri) ua = mw_uri_parse (a, NULL);
  g_autoptr(MwUri) ub = mw_uri_parse (b, NULL);

  if (ua == NULL || ub == NULL || ua->hypervisor == ub->hypervisor)
    return TRUE;

  *a_title = mw_uri_get_title (a);
  *b_title = mw_uri_get_title (b);
  return FALSE;
}

gboolean
mw_migration_plan_is_test_connection (MwConnection *connection)
{
  g_autoptr(MwUri) parsed = NULL;

  g_return_val_if_fail (MW_IS_CONNECTION (connection), FALSE);

  parsed = mw_uri_parse (mw_connection_get_uri (connection), NULL);
  return parsed != NULL && parsed->hypervisor == MW_HYPERVISOR_TEST;
}

char *
mw_migration_plan_get_unusable_reason (MwMigrationPlan *self,
                                       MwConnection    *candidate)
{
  const char *name;
  const char *here, *there;

  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);
  g_return_val_if_fail (MW_IS_CONNECTION (candidate), NULL);

  name = mw_domain_get_name (self->domain);

  if (candidate == self->source)
    /* Translators: %s is the domain's name */
    return g_strdup_printf (_("Source host: %s is here now"), name);

  switch (mw_connection_get_state (candidate))
    {
    case MW_CONNECTION_STATE_CONNECTING:
      return g_strdup (_("Not connected yet: connecting…"));
    case MW_CONNECTION_STATE_FAILED:
      if (mw_connection_get_error_message (candidate) != NULL)
        /* Translators: %s is libvirt's reason */
        return g_strdup_printf (_("Not connected: %s"),
                                mw_connection_get_error_message (candidate));
      return g_strdup (_("Not connected: connecting failed"));
    case MW_CONNECTION_STATE_DISCONNECTED:
      return g_strdup (_("Not connected: connect to it in the main window first"));
    case MW_CONNECTION_STATE_CONNECTED:
    default:
      break;
    }

  if (self->source != NULL)
    {
      g_autofree char *source_kind = NULL;
      g_autofree char *candidate_kind = NULL;

      if (!same_hypervisor (mw_connection_get_uri (self->source), mw_connection_get_uri (candidate),
                            &source_kind, &candidate_kind))
        /* Translators: "Different hypervisor: Xen here, QEMU/KVM on the source" */
        return g_strdup_printf (_("Different hypervisor: %s here, %s on the source"),
                                candidate_kind, source_kind);

      /* Each test-driver node stands for a machine of its own, whatever this host is called. */
      here = mw_connection_get_hostname (candidate);
      there = mw_connection_get_hostname (self->source);
      if (here != NULL && there != NULL && g_ascii_strcasecmp (here, there) == 0 &&
          !(mw_migration_plan_is_test_connection (candidate) &&
            mw_migration_plan_is_test_connection (self->source)))
        /* Translators: %s is the host name both connections lead to */
        return g_strdup_printf (_("Same host as the source (%s): a migration needs another "
                                  "machine"), here);
    }

  if (mw_connection_find_domain (candidate, name) != NULL)
    /* Translators: %s is the domain's name */
    return g_strdup_printf (_("A domain named “%s” already exists there"), name);

  return NULL;
}

/* ---- the job -------------------------------------------------------------------------------- */

MwMigrationJob *
mw_migration_plan_get_job (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->job;
}

/* However it ended, the guest may have moved: both lists read their host again, since libvirt
 * removes the source's domain without an UNDEFINED event (mw_connection_reload). */
static void
on_job_finished_cb (MwMigrationPlan *self)
{
  if (self->source != NULL)
    mw_connection_reload (self->source);
  if (self->destination != NULL)
    mw_connection_reload (self->destination);
}

MwMigrationJob *
mw_migration_plan_create_job (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);
  g_return_val_if_fail (self->job == NULL, NULL);
  g_return_val_if_fail (self->destination != NULL, NULL);

  if (self->job_factory != NULL)
    self->job = self->job_factory (mw_connection_get_uri (self->source),
                                   mw_connection_get_uri (self->destination),
                                   mw_domain_get_name (self->domain), self->options,
                                   self->job_factory_data);
  else
    self->job = mw_migration_job_new (mw_connection_get_uri (self->source),
                                      mw_connection_get_uri (self->destination),
                                      mw_domain_get_name (self->domain), self->options);
  if (self->ping_address != NULL && self->options->mode == MW_MIGRATION_MODE_LIVE)
    mw_migration_job_set_ping_address (self->job, self->ping_address);
  mw_migration_job_set_forecast (self->job, self->forecast);
  g_signal_connect_object (self->job, "finished", G_CALLBACK (on_job_finished_cb), self,
                           G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
  return self->job;
}

void
mw_migration_plan_set_job_factory (MwMigrationPlan        *self,
                                   MwEvacuationJobFactory  factory,
                                   gpointer                user_data)
{
  g_return_if_fail (MW_IS_MIGRATION_PLAN (self));
  self->job_factory = factory;
  self->job_factory_data = user_data;
}

const MwForecast *
mw_migration_plan_get_forecast (MwMigrationPlan *self)
{
  g_return_val_if_fail (MW_IS_MIGRATION_PLAN (self), NULL);

  return self->forecast;
}

void
mw_migration_plan_set_forecast (MwMigrationPlan  *self,
                                const MwForecast *forecast)
{
  g_return_if_fail (MW_IS_MIGRATION_PLAN (self));

  g_clear_pointer (&self->forecast, mw_forecast_free);
  if (forecast != NULL)
    self->forecast = mw_forecast_copy (forecast);
}

void
mw_migration_plan_forget_job (MwMigrationPlan *self)
{
  g_return_if_fail (MW_IS_MIGRATION_PLAN (self));
  g_return_if_fail (self->job == NULL || mw_migration_job_get_result (self->job) != NULL);

  if (self->job == NULL)
    return;
  g_clear_object (&self->job);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

/* ---- class ---------------------------------------------------------------------------------- */

static void
mw_migration_plan_constructed (GObject *object)
{
  MwMigrationPlan *self = MW_MIGRATION_PLAN (object);

  G_OBJECT_CLASS (mw_migration_plan_parent_class)->constructed (object);

  self->source = mw_domain_get_connection (self->domain);
  if (self->source != NULL)
    g_object_ref (self->source);

  /* A domain that does not run can only move offline. */
  if (!mw_domain_is_active (self->domain))
    self->options->mode = MW_MIGRATION_MODE_OFFLINE;
  update_validation (self);
}

static void
mw_migration_plan_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MwMigrationPlan *self = MW_MIGRATION_PLAN (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      g_value_set_object (value, self->connections);
      break;
    case PROP_DOMAIN:
      g_value_set_object (value, self->domain);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_DESTINATION:
      g_value_set_object (value, self->destination);
      break;
    case PROP_OPTIONS:
      g_value_set_boxed (value, self->options);
      break;
    case PROP_PING_ADDRESS:
      g_value_set_string (value, self->ping_address);
      break;
    case PROP_VALIDATION_MESSAGE:
      g_value_set_string (value, self->validation_message);
      break;
    case PROP_VIRSH_TEXT:
      g_value_set_string (value, self->virsh_text);
      break;
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_plan_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MwMigrationPlan *self = MW_MIGRATION_PLAN (object);

  switch (prop_id)
    {
    case PROP_CONNECTIONS:
      self->connections = g_value_dup_object (value);
      break;
    case PROP_DOMAIN:
      self->domain = g_value_dup_object (value);
      break;
    case PROP_DESTINATION:
      mw_migration_plan_set_destination (self, g_value_get_object (value));
      break;
    case PROP_OPTIONS:
      mw_migration_plan_set_options (self, g_value_get_boxed (value));
      break;
    case PROP_PING_ADDRESS:
      mw_migration_plan_set_ping_address (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_migration_plan_dispose (GObject *object)
{
  MwMigrationPlan *self = MW_MIGRATION_PLAN (object);

  g_clear_object (&self->job);
  g_clear_object (&self->destination);
  g_clear_object (&self->source);
  g_clear_object (&self->domain);
  g_clear_object (&self->connections);

  G_OBJECT_CLASS (mw_migration_plan_parent_class)->dispose (object);
}

static void
mw_migration_plan_finalize (GObject *object)
{
  MwMigrationPlan *self = MW_MIGRATION_PLAN (object);

  mw_migration_options_free (self->options);
  g_free (self->ping_address);
  g_free (self->validation_message);
  g_free (self->virsh_text);
  g_clear_pointer (&self->forecast, mw_forecast_free);

  G_OBJECT_CLASS (mw_migration_plan_parent_class)->finalize (object);
}

static void
mw_migration_plan_class_init (MwMigrationPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mw_migration_plan_constructed;
  object_class->get_property = mw_migration_plan_get_property;
  object_class->set_property = mw_migration_plan_set_property;
  object_class->dispose = mw_migration_plan_dispose;
  object_class->finalize = mw_migration_plan_finalize;

  properties[PROP_CONNECTIONS] =
    g_param_spec_object ("connections", NULL, NULL, MW_TYPE_CONNECTION_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOMAIN] =
    g_param_spec_object ("domain", NULL, NULL, MW_TYPE_DOMAIN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, MW_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESTINATION] =
    g_param_spec_object ("destination", NULL, NULL, MW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPTIONS] =
    g_param_spec_boxed ("options", NULL, NULL, MW_TYPE_MIGRATION_OPTIONS,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PING_ADDRESS] =
    g_param_spec_string ("ping-address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATION_MESSAGE] =
    g_param_spec_string ("validation-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIRSH_TEXT] =
    g_param_spec_string ("virsh-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, MW_TYPE_MIGRATION_JOB,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mw_migration_plan_init (MwMigrationPlan *self)
{
  self->options = mw_migration_options_new_defaults ();
}
