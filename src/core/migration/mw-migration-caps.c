/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-caps.c: the newer migration options against what this pair of hosts runs.
 *
 * Pure decisions over MwMigrationCaps, and one worker that reads the facts. */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-convergence.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-process.h"
#include "mw-ssh.h"
#include "mw-uri.h"
#include "mw-xml-tree.h"

G_DEFINE_BOXED_TYPE (MwMigrationCaps, mw_migration_caps,
                     mw_migration_caps_copy, mw_migration_caps_free)

#define VERSION(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)

/* How long the memlock probe may take on the source (ssh included). */
#define MEMLOCK_PROBE_TIMEOUT_S 10
/* CAP_SYS_RESOURCE's bit in /proc/PID/status's CapEff (linux/capability.h). */
#define CAP_SYS_RESOURCE_BIT 24

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
  copy->source.uffd.qemu_user = g_strdup (self->source.uffd.qemu_user);
  copy->destination.uffd.qemu_user = g_strdup (self->destination.uffd.qemu_user);
  copy->memlock_daemon = g_strdup (self->memlock_daemon);
  return copy;
}

void
mw_migration_caps_free (MwMigrationCaps *self)
{
  if (self == NULL)
    return;
  g_free (self->source.name);
  g_free (self->destination.name);
  g_free (self->source.uffd.qemu_user);
  g_free (self->destination.uffd.qemu_user);
  g_free (self->memlock_daemon);
  g_free (self);
}

gboolean
mw_migration_caps_set_domain_xml (MwMigrationCaps  *self,
                                  const char       *xml,
                                  GError          **error)
{
  g_autoptr(MwXmlNode) root = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (xml != NULL, FALSE);

  root = mw_xml_parse (xml, error);
  if (root == NULL)
    return FALSE;

  self->memory_locked = mw_xml_path (root, "memoryBacking/locked") != NULL;
  self->hard_limit_kib = mw_xml_memory_kib (mw_xml_path (root, "memtune/hard_limit"));
  self->memory_kib = mw_xml_memory_kib (mw_xml_child (root, "memory"));
  return TRUE;
}

guint64
mw_migration_caps_memlock_needed (const MwMigrationCaps *self)
{
  g_return_val_if_fail (self != NULL, 0);

  /* qemuMigrationSrcRun: virMemoryLimitIsSet (hard_limit) ? hard_limit : the memory total. */
  return (self->hard_limit_kib != 0 ? self->hard_limit_kib : self->memory_kib) * 1024;
}

/* Whether the source's QEMU cannot get the locked memory zero-copy needs. */
static gboolean
memlock_short (const MwMigrationCaps *self)
{
  guint64 need = mw_migration_caps_memlock_needed (self);

  return self->memlock_raise == MW_MEMLOCK_FIXED && need != 0 && self->memlock_bytes != 0
         && self->memlock_bytes != G_MAXUINT64 && self->memlock_bytes < need;
}

void
mw_migration_caps_set_memlock_probe (MwMigrationCaps *self,
                                     const char      *output)
{
  g_auto(GStrv) lines = NULL;

  g_return_if_fail (self != NULL);

  self->memlock_raise = MW_MEMLOCK_UNKNOWN;
  self->memlock_bytes = 0;
  g_clear_pointer (&self->memlock_daemon, g_free);
  if (output == NULL)
    return;

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      guint64 caps = 0;

      if (g_str_has_prefix (line, "daemon "))
        {
          g_free (self->memlock_daemon);
          self->memlock_daemon = g_strstrip (g_strdup (line + strlen ("daemon ")));
        }
      else if (g_str_has_prefix (line, "CapEff:"))
        {
          g_autofree char *hex = g_strstrip (g_strdup (line + strlen ("CapEff:")));

          if (g_ascii_string_to_unsigned (hex, 16, 0, G_MAXUINT64, &caps, NULL))
            self->memlock_raise = (caps & (G_GUINT64_CONSTANT (1) << CAP_SYS_RESOURCE_BIT))
                                    ? MW_MEMLOCK_CAN_RAISE : MW_MEMLOCK_FIXED;
        }
      else if (g_str_has_prefix (line, "Max locked memory"))
        {
          /* "Max locked memory   8388608   8388608   bytes": soft, then hard. */
          g_auto(GStrv) words = g_strsplit_set (line + strlen ("Max locked memory"), " \t", -1);
          guint n = 0;

          for (guint w = 0; words[w] != NULL; w++)
            {
              guint64 value = 0;

              if (*words[w] == '\0')
                continue;
              if (++n != 2)
                continue;
              if (g_str_equal (words[w], "unlimited"))
                self->memlock_bytes = G_MAXUINT64;
              else if (g_ascii_string_to_unsigned (words[w], 10, 0, G_MAXUINT64, &value, NULL))
                self->memlock_bytes = value;
            }
        }
    }
}

GStrv
mw_migration_caps_memlock_command (const char *domain)
{
  /* The daemon (modular virtqemud first, then monolithic libvirtd) by its pid file, else by
   * name (a daemon started with another --pid-file, as the lab's are); QEMU by libvirt's pid
   * file for the guest, libvirt's own for qemu:///system. */
  static const char script[] =
    "for d in virtqemud libvirtd; do p=; "
    "[ -r \"/run/$d.pid\" ] && p=$(cat \"/run/$d.pid\"); "
    "[ -n \"$p\" ] && [ -r \"/proc/$p/status\" ] || p=$(pgrep -o -x \"$d\" 2>/dev/null); "
    "[ -n \"$p\" ] && [ -r \"/proc/$p/status\" ] || continue; "
    "echo \"daemon $d\"; grep '^CapEff:' \"/proc/$p/status\"; break; done; "
    "f=\"/run/libvirt/qemu/$1.pid\"; "
    "[ -r \"$f\" ] && grep '^Max locked memory' \"/proc/$(cat \"$f\")/limits\"; true";
  const char *argv[] = { "sh", "-c", script, "sh", domain, NULL };

  g_return_val_if_fail (domain != NULL, NULL);

  return g_strdupv ((char **) argv);
}

char *
mw_migration_caps_run_probe (const char         *uri,
                             const char * const *command,
                             guint               timeout_s,
                             GCancellable       *cancellable)
{
  g_autoptr(MwUri) parsed = NULL;
  g_auto(GStrv) argv = NULL;
  MwProcessResult result = { 0 };
  char *out = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (command != NULL, NULL);

  parsed = mw_uri_parse (uri, NULL);
  if (parsed == NULL || parsed->hypervisor != MW_HYPERVISOR_QEMU
      || (parsed->transport != MW_TRANSPORT_LOCAL && parsed->transport != MW_TRANSPORT_SSH))
    return NULL;
  if (parsed->transport == MW_TRANSPORT_SSH)
    argv = mw_ssh_build_uri_argv (uri, command);
  else
    argv = g_strdupv ((char **) command);
  if (argv == NULL)
    return NULL;

  {
    MwProcessSpec spec = { (const char * const *) argv, NULL, NULL, MAX (timeout_s, 1) };

    if (mw_process_run (&spec, cancellable, &result, NULL))
      {
        if (!result.timed_out && result.status == 0)
          out = g_steal_pointer (&result.out);
        mw_process_result_clear (&result);
      }
  }
  return out;
}

void
mw_migration_caps_probe_memlock (MwMigrationCaps *self,
                                 const char      *source_uri,
                                 const char      *domain,
                                 guint            timeout_s,
                                 GCancellable    *cancellable)
{
  g_auto(GStrv) command = NULL;
  g_autofree char *out = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (source_uri != NULL);
  g_return_if_fail (domain != NULL);

  command = mw_migration_caps_memlock_command (domain);
  out = mw_migration_caps_run_probe (source_uri, (const char * const *) command, timeout_s,
                                     cancellable);
  if (out != NULL)
    mw_migration_caps_set_memlock_probe (self, out);
}

char *
mw_migration_caps_memlock_fix (const MwMigrationCaps *self)
{
  const char *daemon;

  g_return_val_if_fail (self != NULL, NULL);

  if (!memlock_short (self))
    return NULL;
  daemon = self->memlock_daemon != NULL ? self->memlock_daemon : "virtqemud";
  /* Translators: the commands are literal; %s is the daemon ("virtqemud"), three times. */
  return g_strdup_printf (_("On %s, give its libvirt daemon CAP_SYS_RESOURCE (libvirt then "
                            "raises the limit itself), or let every guest lock memory from the "
                            "start:\n  systemctl edit %s   # [Service] LimitMEMLOCK=infinity\n"
                            "  systemctl restart %s\nthen shut the guest down and start it "
                            "again (QEMU keeps the limit it started with); or migrate without "
                            "zero-copy."),
                          self->source.name, daemon, daemon);
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
mw_migration_caps_why_not_versions (const MwMigrationCaps *self,
                                    gulong                 libvirt_version,
                                    gulong                 qemu_version)
{
  char *why = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (libvirt_version != 0)
    why = needs_libvirt (self, libvirt_version);
  if (why == NULL && qemu_version != 0)
    why = needs_qemu (self, qemu_version);
  return why;
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
      if (why == NULL && memlock_short (self))
        {
          g_autofree char *need = mw_format_bytes (mw_migration_caps_memlock_needed (self));
          g_autofree char *have = mw_format_bytes (self->memlock_bytes);

          /* Translators: "Needs the guest’s QEMU on hosta allowed to lock 256 MiB: libvirt
           * raises that limit for zero-copy, but libvirtd there lacks CAP_SYS_RESOURCE, and
           * the limit is 8.0 MiB." */
          why = g_strdup_printf (_("Needs the guest’s QEMU on %s allowed to lock %s: libvirt "
                                   "raises that limit for zero-copy, but %s there lacks "
                                   "CAP_SYS_RESOURCE, and the limit is %s."),
                                 self->source.name, need,
                                 self->memlock_daemon != NULL ? self->memlock_daemon
                                                              : "libvirt",
                                 have);
        }
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

    case MW_MIGRATION_FEATURE_POSTCOPY:
      /* libvirt 1.3.3 added VIR_MIGRATE_POSTCOPY; QEMU 2.5 the postcopy-ram capability. Only
       * the destination's QEMU opens a userfaultfd (QEMU's migrate_caps_check: "it's only the
       * destination that needs special support"). */
      why = needs_libvirt (self, 1003003);
      if (why == NULL)
        why = needs_qemu (self, VERSION (2, 5));
      if (why == NULL)
        why = mw_migration_caps_uffd_why_not (&self->destination);
      return why;

    case MW_MIGRATION_N_FEATURES:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
mw_libvirt_crashes_on_postcopy_resume (gulong libvirt_version)
{
  return libvirt_version >= MW_POSTCOPY_RESUME_CRASH_FIRST
         && libvirt_version <= MW_POSTCOPY_RESUME_CRASH_LAST;
}

char *
mw_migration_caps_postcopy_recovery_why_not (const char *host,
                                             gulong      libvirt_version)
{
  g_autofree char *have = NULL;

  if (!mw_libvirt_crashes_on_postcopy_resume (libvirt_version))
    return NULL;
  have = mw_version_string (libvirt_version);
  /* Translators: "… hostb has libvirt 11.3, whose daemon crashes when asked to resume one (a
   * bug of libvirt 11.2 and 11.3)." */
  return g_strdup_printf (_("Recovering a post-copy that broke off is not possible on these "
                            "hosts: %s has libvirt %s, whose daemon crashes when asked to "
                            "resume one (a bug of libvirt 11.2 and 11.3)."),
                          host != NULL ? host : "?", have);
}

char *
mw_migration_caps_why_no_postcopy_recovery (const MwMigrationCaps *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return mw_migration_caps_postcopy_recovery_why_not (self->destination.name,
                                                      self->destination.libvirt_version);
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
    case MW_MIGRATION_FEATURE_POSTCOPY:
      /* A recovery resumes a post-copy that already started: nothing to ask. */
      return options->postcopy && !options->postcopy_resume;
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
                                    guint64                 link_bps,
                                    char                  **explanation)
{
  guint cpus;
  guint by_cpus;
  guint64 by_link;
  guint n;
  g_autofree char *link = NULL;

  g_return_val_if_fail (self != NULL, 1);

  if (self->source.cpus == 0 || self->destination.cpus == 0)
    cpus = 0;
  else
    cpus = MIN (self->source.cpus, self->destination.cpus);
  by_cpus = cpus == 0 ? MW_PARALLEL_MAX_DEFAULT : CLAMP (cpus / 2, 1, MW_PARALLEL_MAX_DEFAULT);
  by_link = link_bps == 0 ? 2 : (link_bps + MW_PARALLEL_CONNECTION_BPS - 1)
                                  / MW_PARALLEL_CONNECTION_BPS;
  n = (guint) MIN (by_link, (guint64) by_cpus);
  if (explanation == NULL)
    return n;

  link = mw_format_bytes (link_bps);
  if (link_bps == 0)
    /* Translators: "2 connections, QEMU’s own default: the link’s speed is not known (a
     * bandwidth cap gives it)." */
    *explanation = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "%u connection, QEMU’s own default within the hosts’ CPUs: the link’s speed "
                   "is not known (a bandwidth cap gives it).",
                   "%u connections, QEMU’s own default within the hosts’ CPUs: the link’s speed "
                   "is not known (a bandwidth cap gives it).", n), n);
  else if (by_link <= by_cpus || cpus == 0)
    /* Translators: "3 connections: the link carries 2.5 GiB a second, and one connection moves
     * about 1 GiB a second with one CPU busy on each host." */
    *explanation = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "%u connection: the link carries %s a second, and one connection moves "
                   "about 1 GiB a second with one CPU busy on each host.",
                   "%u connections: the link carries %s a second, and one connection moves "
                   "about 1 GiB a second with one CPU busy on each host.", n), n, link);
  else
    /* Translators: "2 connections: hosta has 8 CPUs and hostb 4, each connection keeps one CPU
     * busy on both, and half of them stay with the guests." */
    *explanation = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "%u connection: %s has %u CPUs and %s %u, each connection keeps one CPU busy "
                   "on both, and half of them stay with the guests.",
                   "%u connections: %s has %u CPUs and %s %u, each connection keeps one CPU busy "
                   "on both, and half of them stay with the guests.", n),
      n, self->source.name, self->source.cpus, self->destination.name, self->destination.cpus);
  return n;
}

/* ---- reading the facts -------------------------------------------------------------------- */

static gulong fake_versions[4];
static char *fake_memlock_probe;
static char *fake_uffd_probe[2];
static gint n_reads;      /* atomic */

guint
mw_migration_caps_get_n_reads (void)
{
  return (guint) g_atomic_int_get (&n_reads);
}

void
mw_migration_caps_set_fake_uffd_probe (const char *source_output,
                                       const char *destination_output)
{
  g_free (fake_uffd_probe[0]);
  g_free (fake_uffd_probe[1]);
  fake_uffd_probe[0] = g_strdup (source_output);
  fake_uffd_probe[1] = g_strdup (destination_output);
}

void
mw_migration_caps_set_fake_memlock_probe (const char *output)
{
  g_free (fake_memlock_probe);
  fake_memlock_probe = g_strdup (output);
}

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

  g_atomic_int_inc (&n_reads);
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
  if (ok && (fake_uffd_probe[0] != NULL || fake_uffd_probe[1] != NULL))
    {
      if (fake_uffd_probe[0] != NULL)
        mw_migration_caps_set_uffd_probe (&caps->source.uffd, fake_uffd_probe[0]);
      if (fake_uffd_probe[1] != NULL)
        mw_migration_caps_set_uffd_probe (&caps->destination.uffd, fake_uffd_probe[1]);
    }
  else if (ok)
    mw_migration_caps_probe_uffd (caps, source_uri, destination_uri, MEMLOCK_PROBE_TIMEOUT_S,
                                  cancellable);
  if (ok && fake_memlock_probe != NULL)
    mw_migration_caps_set_memlock_probe (caps, fake_memlock_probe);
  else if (ok)
    mw_migration_caps_probe_memlock (caps, source_uri, domain, MEMLOCK_PROBE_TIMEOUT_S,
                                     cancellable);

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
