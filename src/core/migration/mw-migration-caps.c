/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-caps.c: the newer migration options against what this pair of hosts runs.
 *
 * Pure decisions over MwMigrationCaps, and one worker that reads the facts. */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-uri.h"
#include "mw-xml-tree.h"

G_DEFINE_BOXED_TYPE (MwMigrationCaps, mw_migration_caps,
                     mw_migration_caps_copy, mw_migration_caps_free)

#define VERSION(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)

/* The most connections the default offers: QEMU's own default is 2, and past 4 the lab's link,
 * not the CPUs, is the limit. */
#define DEFAULT_PARALLEL_MAX 4

MwMigrationCaps *
mw_migration_caps_new (void)
{
  return g_new0 (MwMigrationCaps, 1);
}

MwMigrationCaps *
mw_migration_caps_copy (const MwMigrationCaps *self)
{
  MwMigrationCaps *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->source.name = g_strdup (self->source.name);
  copy->destination.name = g_strdup (self->destination.name);
  return copy;
}

void
mw_migration_caps_free (MwMigrationCaps *self)
{
  if (self == NULL)
    return;
  g_free (self->source.name);
  g_free (self->destination.name);
  g_free (self);
}

gboolean
mw_migration_caps_set_domain_xml (MwMigrationCaps  *self,
                                  const char       *xml,
                                  GError          **error)
{
  g_autoptr(MwXmlNode) root = NULL;
  g_autofree char *limit = NULL;
  const char *unit;
  guint64 value = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (xml != NULL, FALSE);

  root = mw_xml_parse (xml, error);
  if (root == NULL)
    return FALSE;

  self->memory_locked = mw_xml_path (root, "memoryBacking/locked") != NULL;
  self->hard_limit_kib = 0;
  limit = mw_xml_text (mw_xml_path (root, "memtune/hard_limit"));
  if (limit != NULL && g_ascii_string_to_unsigned (limit, 10, 0, G_MAXUINT64, &value, NULL))
    {
      /* libvirt writes KiB back; bytes and MiB only appear in hand-written XML. */
      unit = mw_xml_attr_or (mw_xml_path (root, "memtune/hard_limit"), "unit", "KiB");
      if (g_ascii_strcasecmp (unit, "b") == 0 || g_ascii_strcasecmp (unit, "bytes") == 0)
        value /= 1024;
      else if (g_ascii_strcasecmp (unit, "M") == 0 || g_ascii_strcasecmp (unit, "MiB") == 0)
        value *= 1024;
      else if (g_ascii_strcasecmp (unit, "G") == 0 || g_ascii_strcasecmp (unit, "GiB") == 0)
        value *= 1024 * 1024;
      self->hard_limit_kib = value;
    }
  return TRUE;
}

char *
mw_version_string (gulong version)
{
  return g_strdup_printf ("%lu.%lu", version / 1000000, (version / 1000) % 1000);
}

/* The host (of the two) whose version is known and below need, or NULL. */
static const MwMigrationHostFacts *
first_below (const MwMigrationCaps *self,
             gboolean               qemu,
             gulong                 need)
{
  const MwMigrationHostFacts *hosts[] = { &self->source, &self->destination };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      gulong have = qemu ? hosts[i]->qemu_version : hosts[i]->libvirt_version;

      if (have != 0 && have < need)
        return hosts[i];
    }
  return NULL;
}

static char *
needs_libvirt (const MwMigrationCaps *self,
               gulong                 need)
{
  const MwMigrationHostFacts *host = first_below (self, FALSE, need);
  g_autofree char *want = NULL;
  g_autofree char *have = NULL;

  if (host == NULL)
    return NULL;
  want = mw_version_string (need);
  have = mw_version_string (host->libvirt_version);
  /* Translators: "Needs libvirt 9.4 on both hosts; hostb has 9.0." */
  return g_strdup_printf (_("Needs libvirt %s on both hosts; %s has %s."), want, host->name, have);
}

static char *
needs_qemu (const MwMigrationCaps *self,
            gulong                 need)
{
  const MwMigrationHostFacts *host = first_below (self, TRUE, need);
  g_autofree char *want = NULL;
  g_autofree char *have = NULL;

  if (host == NULL)
    return NULL;
  want = mw_version_string (need);
  have = mw_version_string (host->qemu_version);
  /* Translators: "Needs QEMU 7.1 on both hosts; hostb has 6.2." */
  return g_strdup_printf (_("Needs QEMU %s on both hosts; %s has %s."), want, host->name, have);
}

char *
mw_migration_caps_why_not (const MwMigrationCaps *self,
                           MwMigrationFeature     feature)
{
  char *why = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  switch (feature)
    {
    case MW_MIGRATION_FEATURE_PARALLEL:
      why = needs_libvirt (self, VERSION (5, 2));
      if (why == NULL)
        why = needs_qemu (self, VERSION (4, 0));
      return why;

    case MW_MIGRATION_FEATURE_ZEROCOPY:
      why = needs_libvirt (self, VERSION (8, 5));
      if (why == NULL)
        why = needs_qemu (self, VERSION (7, 1));
      if (why == NULL && !self->memory_locked && self->hard_limit_kib == 0)
        why = g_strdup (_("Needs the guest’s memory locked: add <locked/> under "
                          "<memoryBacking>, or a <hard_limit> under <memtune>, to its "
                          "definition."));
      return why;

    case MW_MIGRATION_FEATURE_XBZRLE:
      return NULL;

    case MW_MIGRATION_FEATURE_MT:
      {
        const MwMigrationHostFacts *hosts[] = { &self->source, &self->destination };

        for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
          if (hosts[i]->qemu_version >= VERSION (9, 1))
            {
              g_autofree char *have = mw_version_string (hosts[i]->qemu_version);

              /* Translators: "QEMU removed multithread compression in 9.1; hostb has 10.0." */
              return g_strdup_printf (_("QEMU removed multithread compression in 9.1; %s has "
                                        "%s."), hosts[i]->name, have);
            }
        return NULL;
      }

    case MW_MIGRATION_FEATURE_ZLIB:
    case MW_MIGRATION_FEATURE_ZSTD:
      why = needs_libvirt (self, VERSION (9, 4));
      if (why == NULL)
        why = needs_qemu (self, VERSION (5, 0));
      return why;

    case MW_MIGRATION_N_FEATURES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
needs (const MwMigrationOptions *options,
       MwMigrationFeature        feature)
{
  switch (feature)
    {
    case MW_MIGRATION_FEATURE_PARALLEL:
      return options->parallel_connections > 0;
    case MW_MIGRATION_FEATURE_ZEROCOPY:
      return options->zerocopy;
    case MW_MIGRATION_FEATURE_XBZRLE:
      return options->compression == MW_MIGRATION_COMPRESSION_XBZRLE;
    case MW_MIGRATION_FEATURE_MT:
      return options->compression == MW_MIGRATION_COMPRESSION_MT;
    case MW_MIGRATION_FEATURE_ZLIB:
      return options->compression == MW_MIGRATION_COMPRESSION_ZLIB;
    case MW_MIGRATION_FEATURE_ZSTD:
      return options->compression == MW_MIGRATION_COMPRESSION_ZSTD;
    case MW_MIGRATION_N_FEATURES:
    default:
      return FALSE;
    }
}

MwMigrationFeature
mw_migration_caps_next_needed (const MwMigrationOptions *options,
                               MwMigrationFeature        first)
{
  g_return_val_if_fail (options != NULL, MW_MIGRATION_N_FEATURES);

  for (guint f = first; f < MW_MIGRATION_N_FEATURES; f++)
    if (needs (options, f))
      return f;
  return MW_MIGRATION_N_FEATURES;
}

gboolean
mw_migration_caps_check (const MwMigrationCaps    *self,
                         const MwMigrationOptions *options,
                         GError                  **error)
{
  MwMigrationFeature f;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (f = mw_migration_caps_next_needed (options, 0); f < MW_MIGRATION_N_FEATURES;
       f = mw_migration_caps_next_needed (options, f + 1))
    {
      g_autofree char *why = mw_migration_caps_why_not (self, f);

      if (why != NULL)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_UNSUPPORTED, why);
          return FALSE;
        }
    }
  return TRUE;
}

guint
mw_migration_caps_default_parallel (const MwMigrationCaps  *self,
                                    char                  **explanation)
{
  guint cpus;
  guint n;

  g_return_val_if_fail (self != NULL, 1);

  if (self->source.cpus == 0 || self->destination.cpus == 0)
    cpus = MAX (self->source.cpus, self->destination.cpus);
  else
    cpus = MIN (self->source.cpus, self->destination.cpus);
  n = cpus == 0 ? 2 : CLAMP (cpus, 1, DEFAULT_PARALLEL_MAX);

  if (explanation != NULL)
    {
      if (cpus == 0)
        *explanation = g_strdup (_("2 connections, QEMU’s own default: the hosts did not say "
                                   "how many CPUs they have."));
      else
        /* Translators: "4 connections: hosta has 8 CPUs and hostb 4; each connection keeps
         * one CPU busy on both hosts, and past 4 the link is the limit." The first %u is the
         * number of connections, then a host and its CPUs, twice. */
        *explanation = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "%u connection: %s has %u CPUs and %s %u; each connection keeps one "
                       "CPU busy on both hosts, and past 4 the link is the limit.",
                       "%u connections: %s has %u CPUs and %s %u; each connection keeps one "
                       "CPU busy on both hosts, and past 4 the link is the limit.", n),
          n, self->source.name, self->source.cpus,
          self->destination.name, self->destination.cpus);
    }
  return n;
}

/* ---- reading the facts -------------------------------------------------------------------- */

static gulong fake_versions[4];

void
mw_migration_caps_set_fake_versions (gulong source_libvirt,
                                     gulong source_qemu,
                                     gulong destination_libvirt,
                                     gulong destination_qemu)
{
  fake_versions[0] = source_libvirt;
  fake_versions[1] = source_qemu;
  fake_versions[2] = destination_libvirt;
  fake_versions[3] = destination_qemu;
}

/* The URI's host ("hostb"), or its title for a local one. */
static char *
host_name (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_PARSE_RELAXED,
                                        NULL);

  if (parsed != NULL && g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0')
    return g_strdup (g_uri_get_host (parsed));
  return mw_uri_get_title (uri);
}

/* The open connection, its facts read into facts; NULL with an error. */
static virConnectPtr
read_host (const char   *uri,
           MwMigrationHostFacts  *facts,
           const gulong *fake,
           GError      **error)
{
  virConnectPtr conn = NULL;
  unsigned long version = 0;
  virNodeInfo info;

  conn = mw_libvirt_open (uri, NULL, error);
  if (conn == NULL)
    return NULL;

  facts->name = host_name (uri);
  if (virConnectGetLibVersion (conn, &version) == 0)
    facts->libvirt_version = version;
  version = 0;
  if (virConnectGetVersion (conn, &version) == 0)
    facts->qemu_version = version;
  if (virNodeGetInfo (conn, &info) == 0)
    facts->cpus = info.cpus;
  virResetLastError ();

  if (fake[0] != 0)
    facts->libvirt_version = fake[0];
  if (fake[1] != 0)
    facts->qemu_version = fake[1];
  return conn;
}

MwMigrationCaps *
mw_migration_caps_read (const char    *source_uri,
                        const char    *destination_uri,
                        const char    *domain,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(MwMigrationCaps) caps = NULL;
  virConnectPtr conn = NULL;
  virConnectPtr dconn = NULL;
  virDomainPtr dom = NULL;
  char *xml = NULL;
  gboolean ok;

  g_return_val_if_fail (source_uri != NULL, NULL);
  g_return_val_if_fail (destination_uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  caps = mw_migration_caps_new ();
  conn = read_host (source_uri, &caps->source, &fake_versions[0], error);
  if (conn == NULL)
    return NULL;
  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    dconn = read_host (destination_uri, &caps->destination, &fake_versions[2], error);
  if (dconn == NULL)
    {
      virConnectClose (conn);
      return NULL;
    }
  virConnectClose (dconn);

  if (domain == NULL)
    {
      virConnectClose (conn);
      return g_steal_pointer (&caps);
    }

  dom = mw_libvirt_lookup_domain (conn, domain, NULL, error);
  if (dom == NULL)
    {
      virConnectClose (conn);
      return NULL;
    }
  /* The inactive definition is what the destination starts from; the live one has the same
   * memory settings. */
  xml = virDomainGetXMLDesc (dom, 0);
  if (xml == NULL)
    mw_libvirt_set_error (error, NULL);
  ok = xml != NULL && mw_migration_caps_set_domain_xml (caps, xml, error);
  free (xml);
  virDomainFree (dom);
  virConnectClose (conn);

  return ok ? g_steal_pointer (&caps) : NULL;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  MwDomainTarget *target = task_data;
  GError *error = NULL;
  MwMigrationCaps *caps;

  caps = mw_migration_caps_read (target->uri, target->dest_uri, target->domain, cancellable,
                                 &error);
  if (caps == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, caps, (GDestroyNotify) mw_migration_caps_free);
}

void
mw_migration_caps_read_async (const char          *source_uri,
                              const char          *destination_uri,
                              const char          *domain,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (source_uri != NULL);
  g_return_if_fail (destination_uri != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_migration_caps_read_async);
  g_task_set_task_data (task, mw_domain_target_new (source_uri, destination_uri, domain),
                        mw_domain_target_free);
  g_task_run_in_thread (task, read_thread);
}

MwMigrationCaps *
mw_migration_caps_read_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_migration_caps_read_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
