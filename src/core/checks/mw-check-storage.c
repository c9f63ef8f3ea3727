/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-storage.c: shared storage or storage copy, the disk cache mode libvirt insists on,
 * and disk locking. The cache fix edits the persistent definition through libvirt-gconfig. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-uri.h"
#include "mw-shell.h"
#include "mw-ssh.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)

static gboolean
same_path (const char *a,
           const char *b)
{
  g_autofree char *x = a != NULL ? g_strdup (a) : NULL;
  g_autofree char *y = b != NULL ? g_strdup (b) : NULL;
  gsize n;

  if (x == NULL || y == NULL)
    return FALSE;
  for (n = strlen (x); n > 1 && x[n - 1] == '/'; n--)
    x[n - 1] = '\0';
  for (n = strlen (y); n > 1 && y[n - 1] == '/'; n--)
    y[n - 1] = '\0';
  return g_str_equal (x, y);
}

static const MwPoolFact *
source_pool_of (const MwCheckFacts *facts,
                const MwDiskFact   *disk)
{
  if (disk->kind == MW_DISK_VOLUME)
    return mw_host_facts_find_pool (facts->source, disk->pool);
  return mw_host_facts_find_pool_for_path (facts->source, disk->source);
}

gboolean
mw_check_disk_is_shared (const MwCheckFacts *facts,
                         const MwDiskFact   *disk)
{
  const MwPoolFact *source_pool;
  const MwPoolFact *dest_pool;

  if (disk->kind == MW_DISK_NETWORK)
    return TRUE;

  source_pool = source_pool_of (facts, disk);
  if (source_pool == NULL)
    return FALSE;
  dest_pool = mw_host_facts_find_pool (facts->dest, source_pool->name);

  return dest_pool != NULL && same_path (source_pool->target_path, dest_pool->target_path);
}

static gboolean
disk_is_data (const MwDiskFact *disk)
{
  return (g_strcmp0 (disk->device, "disk") == 0 || g_strcmp0 (disk->device, "lun") == 0)
         && disk->source != NULL && *disk->source != '\0';
}

/* Storage */

void
mw_check_eval_storage (const MwCheckFacts *facts,
                       MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  gboolean copying = facts->options->storage != MW_MIGRATION_STORAGE_SHARED;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) local = g_string_new (NULL);
  g_autoptr(GString) no_pool = g_string_new (NULL);
  guint n_local = 0;

  for (guint i = 0; i < domain->disks->len; i++)
    {
      const MwDiskFact *disk = &g_array_index (domain->disks, MwDiskFact, i);
      const MwPoolFact *pool;
      g_autofree char *dir = NULL;

      if (!disk_is_data (disk))
        continue;
      if (detail->len > 0)
        g_string_append_c (detail, '\n');

      if (mw_check_disk_is_shared (facts, disk))
        {
          pool = source_pool_of (facts, disk);
          if (pool != NULL)
            g_string_append_printf (detail, _("%s (%s): shared, pool “%s” at %s on both "
                                              "hosts."), disk->target, disk->source, pool->name,
                                    pool->target_path);
          else
            g_string_append_printf (detail, _("%s (%s): network disk, seen by both hosts."),
                                    disk->target, disk->source);
          continue;
        }

      n_local++;
      g_string_append_printf (local, "%s%s", local->len > 0 ? ", " : "", disk->target);
      /* With storage copy, libvirt pre-creates each volume in the destination pool whose
       * target directory holds the same path. */
      dir = disk->kind == MW_DISK_VOLUME ? NULL : g_path_get_dirname (disk->source);
      pool = disk->kind == MW_DISK_VOLUME ? mw_host_facts_find_pool (facts->dest, disk->pool)
                                          : mw_host_facts_find_pool_for_path (facts->dest,
                                                                              disk->source);
      if (pool != NULL)
        g_string_append_printf (detail, _("%s (%s): only on the source; a copy would pre-create "
                                          "it in the destination’s pool “%s”."), disk->target,
                                disk->source, pool->name);
      else
        {
          g_string_append_printf (detail, _("%s (%s): only on the source, and the destination "
                                            "has no pool at %s to pre-create it in."),
                                  disk->target, disk->source, dir != NULL ? dir : disk->pool);
          if (dir != NULL && strstr (no_pool->str, dir) == NULL)
            {
              /* Quoted (mw_shell_quote) so the line can be pasted. */
              g_autofree char *dest_uri = mw_shell_quote (facts->dest_uri);
              g_autofree char *target = mw_shell_quote (dir);

              g_string_append_printf (no_pool, "  virsh -c %s pool-define-as migrated-%u dir "
                                      "--target %s && virsh -c %s pool-start migrated-%u\n",
                                      dest_uri, n_local, target, dest_uri, n_local);
            }
        }
    }

  if (detail->len == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED, _("The guest has no disks to move."),
                           NULL, NULL, NULL);
      return;
    }
  if (n_local == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Every disk is on storage both hosts share."), detail->str, NULL,
                           NULL);
      return;
    }

  g_strchomp (no_pool->str);
  if (!copying)
    {
      g_autofree char *sentence =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Disk %s is on storage only the source has: the migration "
                                      "needs to copy it.",
                                      "Disks %s are on storage only the source has: the "
                                      "migration needs to copy them.", n_local), local->str);
      g_autofree char *fix =
        g_strdup_printf (_("Choose “Copy all disks” in the storage options (libvirt copies them "
                           "while the guest runs), or put the disks on a pool with the same "
                           "name and path on both hosts (NFS, Ceph…; main menu → Set Up Hosts… → "
                           "Storage sets up shared NFS).%s%s"),
                         no_pool->len > 0 ? _("\nThe destination first needs a pool there:\n")
                                          : "", no_pool->str);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail->str, fix, NULL);
      return;
    }

  if (no_pool->len > 0)
    {
      g_autofree char *fix =
        g_strdup_printf (_("Create a pool on the destination where the disks live:\n%s"),
                         no_pool->str);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("The destination has nowhere to create the copied disks."),
                           detail->str, fix, NULL);
      return;
    }

  {
    g_autofree char *sentence =
      g_strdup_printf (_("The disks only the source has (%s) will be copied while the guest "
                         "runs."), local->str);

    mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, detail->str, NULL, NULL);
  }
}

/* Storage as the source's libvirt sees it */

/* qemu.conf's shared_filesystems: seen in libvirt 11.3.0 (bookworm-backports). An older libvirt
 * is taken to have it when its own qemu.conf names it (the template documents every option). */
#define SHARED_FILESYSTEMS_SEEN_IN 11003000

/* `stat -f -c %T` names of file systems libvirt never takes for shared ones. Anything else
 * (nfs, gfs2, ocfs2, ceph, fuse…) is left to libvirt: no false alarm. */
static const char * const local_fs_types[] = {
  "ext2/ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "zfs", "f2fs", "jfs", "reiserfs",
  "overlayfs", "bcachefs", "msdos", "vfat", NULL
};

static gboolean
path_is_under (const char *path,
               const char *dir)
{
  gsize n = strlen (dir);

  while (n > 1 && dir[n - 1] == '/')
    n--;
  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

GStrv
mw_check_parse_shared_filesystems (const char *qemu_conf,
                                   gboolean   *has_option)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autoptr(GStrvBuilder) dirs = g_strv_builder_new ();
  const char *p;
  gboolean any = FALSE;
  gboolean quoted = FALSE;

  *has_option = qemu_conf != NULL && strstr (qemu_conf, "shared_filesystems") != NULL;
  if (qemu_conf == NULL)
    return NULL;

  /* Comments run from a # outside quotes to the end of the line. */
  for (p = qemu_conf; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      if (*p == '#' && !quoted)
        {
          while (*p != '\0' && *p != '\n')
            p++;
          if (*p == '\0')
            break;
        }
      if (*p == '\n')
        quoted = FALSE;
      g_string_append_c (clean, *p);
    }

  p = strstr (clean->str, "shared_filesystems");
  if (p == NULL)
    return NULL;
  p += strlen ("shared_filesystems");
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '=')
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != '[')
    return NULL;
  for (;;)
    {
      const char *end;
      g_autofree char *dir = NULL;

      while (g_ascii_isspace (*p) || *p == ',')
        p++;
      if (*p != '"')
        break;
      end = strchr (p + 1, '"');
      if (end == NULL)
        break;
      dir = g_strndup (p + 1, end - p - 1);
      g_strv_builder_add (dirs, dir);
      any = TRUE;
      p = end + 1;
    }
  return any ? g_strv_builder_end (dirs) : NULL;
}

void
mw_check_eval_storage_as_libvirt_sees (const MwCheckFacts     *facts,
                                       const MwSharedDirProbe *probes,
                                       guint                   n_probes,
                                       MwCheckResult          *result)
{
  const char *source = facts->source->hostname != NULL ? facts->source->hostname
                                                      : facts->source_uri;
  const char *dest = facts->dest->hostname != NULL ? facts->dest->hostname : facts->dest_uri;
  const MwSharedDirProbe *local = NULL;
  g_autoptr(GString) detail = g_string_new (result->detail);
  g_autofree char *sentence = NULL;
  g_autofree char *fix = NULL;

  for (guint i = 0; i < n_probes; i++)
    {
      const MwSharedDirProbe *probe = &probes[i];

      if (probe->fs_type == NULL)
        continue;
      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      if (probe->listed)
        {
          g_string_append_printf (detail, _("%s on %s: file system “%s”, listed in "
                                            "shared_filesystems, so libvirt treats it as "
                                            "shared."), probe->dir, source, probe->fs_type);
          continue;
        }
      g_string_append_printf (detail, _("%s on %s: file system “%s”."), probe->dir, source,
                              probe->fs_type);
      if (local == NULL && g_strv_contains (local_fs_types, probe->fs_type))
        local = probe;
    }

  /* Disks that are copied (copy storage) are not judged by libvirt's shared-storage test. */
  if (local == NULL || facts->options->unsafe
      || facts->options->storage != MW_MIGRATION_STORAGE_SHARED)
    {
      /* Same verdict, with what was learnt added to the detail (copies: set frees the old). */
      g_autofree char *same_sentence = g_strdup (result->sentence);
      g_autofree char *same_fix = g_strdup (result->fix);
      g_autofree char *same_label = g_strdup (result->fix_label);

      mw_check_result_set (result, result->state, same_sentence, detail->str, same_fix,
                           same_label);
      return;
    }

  sentence = g_strdup_printf (_("libvirt on %s will refuse this migration: %s is on a local "
                                "file system there (%s), so libvirt cannot tell that %s sees the "
                                "same disks."), source, local->dir, local->fs_type, dest);
  if (local->has_option)
    fix = g_strdup_printf (_("If %s really is shared with %s (one host exporting its own "
                             "directory over NFS to the other is the usual case), tell libvirt "
                             "on %s: add\n  shared_filesystems = [ \"%s\" ]\nto "
                             "/etc/libvirt/qemu.conf there and restart its libvirt daemon. "
                             "Only on the host whose disk it is, never on one that mounts it "
                             "from another. Or choose “Unsafe” knowingly."),
                           local->dir, dest, source, local->dir);
  else
    fix = g_strdup_printf (_("libvirt on %s is too old for qemu.conf’s shared_filesystems "
                             "option. If %s really is shared with %s, choose “Unsafe” "
                             "knowingly; otherwise put the disks on storage both hosts mount "
                             "(NFS, Ceph…)."), source, local->dir, dest);
  mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail->str, fix, NULL);
}

/* Worker: runs command on the source, over ssh or, for a local source, here. FALSE when the
 * source cannot be asked that way (another remote transport) or the command failed. */
static gboolean
run_on_source (const MwCheckContext *context,
               const char * const   *command,
               GCancellable         *cancellable,
               char                **out)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(MwUri) uri = mw_uri_parse (context->facts->source_uri, NULL);
  int status = 0;

  argv = mw_ssh_build_uri_argv (context->facts->source_uri, command);
  if (argv == NULL)
    {
      if (uri == NULL || uri->host != NULL)
        return FALSE;
      argv = g_strdupv ((char **) command);
    }
  return mw_check_spawn ((const char * const *) argv, context->timeout_s, cancellable, out,
                         &status, NULL)
         && status == 0;
}

void
mw_check_run_storage (const MwCheckContext *context,
                      MwCheckResult        *result,
                      GCancellable         *cancellable)
{
  const MwCheckFacts *facts = context->facts;
  g_autoptr(GPtrArray) dirs = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) stat_builder = g_strv_builder_new ();
  g_auto(GStrv) stat_argv = NULL;
  g_auto(GStrv) types = NULL;
  g_auto(GStrv) listed_dirs = NULL;
  g_autofree char *stat_out = NULL;
  g_autofree char *conf = NULL;
  g_autofree MwSharedDirProbe *probes = NULL;
  const char *cat_argv[] = { "cat", "/etc/libvirt/qemu.conf", NULL };
  gboolean has_option = FALSE;

  mw_check_eval_storage (facts, result);
  if (result->state != MW_CHECK_STATE_PASSED || facts->options->unsafe
      || g_strcmp0 (facts->source->hv_type, "QEMU") != 0 || facts->domain == NULL)
    return;

  /* The directories of the pools both hosts have at one path. */
  for (guint i = 0; i < facts->domain->disks->len; i++)
    {
      const MwDiskFact *disk = &g_array_index (facts->domain->disks, MwDiskFact, i);
      const MwPoolFact *pool;

      if (!disk_is_data (disk) || disk->kind == MW_DISK_NETWORK
          || !mw_check_disk_is_shared (facts, disk))
        continue;
      pool = source_pool_of (facts, disk);
      if (pool != NULL && pool->target_path != NULL
          && !g_ptr_array_find_with_equal_func (dirs, pool->target_path, g_str_equal, NULL))
        g_ptr_array_add (dirs, pool->target_path);
    }
  if (dirs->len == 0)
    return;

  g_strv_builder_add_many (stat_builder, "stat", "-f", "-c", "%T", NULL);
  for (guint i = 0; i < dirs->len; i++)
    g_strv_builder_add (stat_builder, g_ptr_array_index (dirs, i));
  stat_argv = g_strv_builder_end (stat_builder);
  if (!run_on_source (context, (const char * const *) stat_argv, cancellable, &stat_out))
    return;  /* nothing learnt: libvirt will say it if it minds */
  types = g_strsplit (g_strstrip (stat_out), "\n", -1);
  if (run_on_source (context, cat_argv, cancellable, &conf))
    listed_dirs = mw_check_parse_shared_filesystems (conf, &has_option);
  has_option |= facts->source->lib_version >= SHARED_FILESYSTEMS_SEEN_IN;

  probes = g_new0 (MwSharedDirProbe, dirs->len);
  for (guint i = 0; i < dirs->len; i++)
    {
      probes[i].dir = g_ptr_array_index (dirs, i);
      probes[i].fs_type = i < g_strv_length (types) ? g_strstrip (types[i]) : NULL;
      probes[i].has_option = has_option;
      for (guint j = 0; listed_dirs != NULL && listed_dirs[j] != NULL; j++)
        probes[i].listed |= path_is_under (probes[i].dir, listed_dirs[j]);
    }
  mw_check_eval_storage_as_libvirt_sees (facts, probes, dirs->len, result);
}

/* Cache mode
 *
 * The fix is two steps, each asked for by its own button: save cache='none' in the persistent
 * definition, then restart the running guest so it boots with it (a reboot inside the guest
 * keeps the QEMU process, and the cache mode with it). Which one the button does follows from
 * the facts the check last ran with, the same ones that chose its label. */

/* How long a restart waits for the guest's OS to shut down. */
#define RESTART_SHUTDOWN_WITHIN_S 120
#define RESTART_POLL_US (500 * G_TIME_SPAN_MILLISECOND)

/* libvirt's own rule (qemuMigrationSrcIsSafe): a writable disk on shared storage must bypass
 * the host page cache (none or directsync), unless it is Ceph RBD. */
static gboolean
disk_cache_is_unsafe (const MwCheckFacts *facts,
                      const MwDiskFact   *disk)
{
  if (!disk_is_data (disk) || disk->readonly || disk->shareable)
    return FALSE;
  if (g_strcmp0 (disk->cache, "none") == 0 || g_strcmp0 (disk->cache, "directsync") == 0)
    return FALSE;
  if (disk->kind == MW_DISK_NETWORK && g_str_has_prefix (disk->source, "rbd:"))
    return FALSE;
  return mw_check_disk_is_shared (facts, disk);
}

/* cache='none' (or another safe mode) is in the persistent definition of every disk that
 * needs it. */
static gboolean
disk_cache_saved (const MwCheckFacts *facts)
{
  g_autoptr(MwDomainFacts) persistent = NULL;

  if (facts->domain->inactive_xml != NULL)
    persistent = mw_domain_facts_new_from_xml (facts->domain->inactive_xml, NULL);
  if (persistent == NULL)
    return FALSE;
  for (guint i = 0; i < persistent->disks->len; i++)
    if (disk_cache_is_unsafe (facts, &g_array_index (persistent->disks, MwDiskFact, i)))
      return FALSE;
  return TRUE;
}

void
mw_check_eval_disk_cache (const MwCheckFacts *facts,
                          MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  g_autoptr(GString) disks = g_string_new (NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *sentence = NULL;
  gboolean can_fix = TRUE;
  guint n_unsafe = 0;

  if (facts->options->storage != MW_MIGRATION_STORAGE_SHARED)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("The disks are copied, so their cache mode does not matter."),
                           NULL, NULL, NULL);
      return;
    }

  for (guint i = 0; i < domain->disks->len; i++)
    {
      const MwDiskFact *disk = &g_array_index (domain->disks, MwDiskFact, i);

      if (!disk_cache_is_unsafe (facts, disk))
        continue;
      n_unsafe++;
      g_string_append_printf (disks, "%s%s", disks->len > 0 ? ", " : "", disk->target);
      g_string_append_printf (detail, _("%s (%s): cache='%s'%s.\n"), disk->target, disk->source,
                              disk->cache != NULL ? disk->cache : "default",
                              disk->cache == NULL ? _(", which QEMU runs as writeback") : "");
    }
  g_strchomp (detail->str);

  if (n_unsafe == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Every writable disk on shared storage bypasses the host’s page "
                             "cache (cache='none'), as a safe migration needs."), NULL, NULL,
                           NULL);
      return;
    }

  sentence =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Disk %s on shared storage uses the host’s page cache: libvirt "
                                  "refuses this “unsafe migration”, since writes still cached "
                                  "on the source would never reach the destination.",
                                  "Disks %s on shared storage use the host’s page cache: libvirt "
                                  "refuses this “unsafe migration”, since writes still cached "
                                  "on the source would never reach the destination.", n_unsafe),
                    disks->str);

  if (facts->options->unsafe)
    {
      mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, detail->str,
                           _("“Unsafe” is chosen, so libvirt will go ahead: only do this when "
                             "the storage is coherent between hosts (a cluster filesystem)."),
                           NULL);
      return;
    }

  if (disk_cache_saved (facts) && domain->active)
    {
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("cache='none' is saved in the definition, but the running guest "
                             "still uses the page cache until its next boot."),
                           detail->str,
                           _("Shut the guest down and start it again (a reboot inside the guest "
                             "is not enough), or migrate with “unsafe” knowingly. MigWizard can "
                             "restart it: the guest goes down, so its services stop and its "
                             "users are cut off until it has started again."),
                           _("Restart Guest"));
      return;
    }

  if (domain->inactive_xml == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail->str,
                           _("The domain is transient: define it with cache='none' on its "
                             "disks and start it again, or migrate with “unsafe” knowingly."),
                           NULL);
      return;
    }

  /* libvirt-gconfig 4.0 cannot list the devices of a domain with a volume disk, so the
   * automatic fix is only offered without one. */
  for (guint i = 0; i < domain->disks->len; i++)
    if (g_array_index (domain->disks, MwDiskFact, i).kind == MW_DISK_VOLUME)
      can_fix = FALSE;

  mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail->str,
                       _("Set cache='none' on these disks in the persistent definition (virsh "
                         "edit, <driver cache='none'/>): it takes effect at the guest’s next "
                         "boot (shut down, then start). Or migrate with “unsafe” knowingly, if "
                         "the storage is coherent."),
                       can_fix ? _("Set Cache to None") : NULL);
}

char *
mw_check_set_disk_cache_none (const MwCheckFacts *facts,
                              const char         *inactive_xml,
                              guint              *n_changed,
                              GError            **error)
{
  g_autoptr(MwDomainFacts) parsed = mw_domain_facts_new_from_xml (inactive_xml, error);
  g_autoptr(GVirConfigDomain) config = NULL;
  GList *devices;
  guint disk_index = 0;
  guint changed = 0;

  if (parsed == NULL)
    return NULL;
  config = gvir_config_domain_new_from_xml (inactive_xml, error);
  if (config == NULL)
    return NULL;

  /* The device objects share the domain's document: editing them edits config. Disks come in
   * the same order as in parsed->disks. */
  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    {
      GVirConfigDomainDisk *disk;
      GVirConfigDomainDiskDriver *driver;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data))
        continue;
      disk = GVIR_CONFIG_DOMAIN_DISK (l->data);
      g_assert (disk_index < parsed->disks->len);
      if (!disk_cache_is_unsafe (facts, &g_array_index (parsed->disks, MwDiskFact, disk_index++)))
        continue;

      /* An existing <driver> is a view into the document: edit it in place. */
      driver = gvir_config_domain_disk_get_driver (disk);
      if (driver != NULL)
        gvir_config_domain_disk_driver_set_cache (driver, GVIR_CONFIG_DOMAIN_DISK_CACHE_NONE);
      else
        {
          driver = gvir_config_domain_disk_driver_new ();
          gvir_config_domain_disk_driver_set_name (driver, "qemu");
          gvir_config_domain_disk_driver_set_cache (driver, GVIR_CONFIG_DOMAIN_DISK_CACHE_NONE);
          gvir_config_domain_disk_set_driver (disk, driver);
        }
      g_object_unref (driver);
      changed++;
    }
  g_list_free_full (devices, g_object_unref);

  if (n_changed != NULL)
    *n_changed = changed;
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
}

/* The second step: shut the guest down (its OS asked, as a user would), wait until it is off,
 * start it. Once it was asked to shut down it is started again whatever the caller wants: the
 * cancellable is not looked at, so closing the window never leaves the guest off. */
static gboolean
restart_domain (virDomainPtr   domain,
                GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + RESTART_SHUTDOWN_WITHIN_S * G_USEC_PER_SEC;
  int state = VIR_DOMAIN_NOSTATE;

  if (virDomainShutdown (domain) < 0)
    {
      mw_libvirt_set_error (error, _("Could not ask the guest to shut down"));
      return FALSE;
    }

  while (state != VIR_DOMAIN_SHUTOFF)
    {
      if (virDomainGetState (domain, &state, NULL, 0) < 0)
        {
          mw_libvirt_set_error (error, _("Could not tell whether the guest has shut down"));
          return FALSE;
        }
      if (state == VIR_DOMAIN_SHUTOFF)
        break;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_TIMEOUT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The guest did not shut down within %u second: its "
                                    "operating system may ignore the request. Shut it down from "
                                    "inside, or force it off in the main window, start it and "
                                    "run the check again.",
                                    "The guest did not shut down within %u seconds: its "
                                    "operating system may ignore the request. Shut it down from "
                                    "inside, or force it off in the main window, start it and "
                                    "run the check again.",
                                    RESTART_SHUTDOWN_WITHIN_S),
                       RESTART_SHUTDOWN_WITHIN_S);
          return FALSE;
        }
      g_usleep (RESTART_POLL_US);
    }

  if (virDomainCreate (domain) < 0)
    {
      mw_libvirt_set_error (error, _("The guest shut down but could not be started again"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_check_fix_disk_cache (const MwCheckContext *context,
                         GCancellable         *cancellable,
                         GError              **error)
{
  const MwCheckFacts *facts = context->facts;
  virDomainPtr domain = mw_libvirt_lookup_domain (context->sconn, facts->domain->uuid,
                                                  _("The domain is gone from the source"), error);
  virDomainPtr defined;
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  char *libvirt_xml;
  gboolean restarted;

  if (domain == NULL)
    return FALSE;

  /* What the button said: "Restart Guest" once the definition is safe and the guest runs. */
  if (disk_cache_saved (facts) && facts->domain->active)
    {
      restarted = restart_domain (domain, error);
      virDomainFree (domain);
      return restarted;
    }

  /* Read again: the definition may have changed since the facts were gathered. */
  libvirt_xml = virDomainGetXMLDesc (domain, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  virDomainFree (domain);
  if (libvirt_xml == NULL)
    {
      mw_libvirt_set_error (error, _("Could not read the domain’s definition"));
      return FALSE;
    }
  xml = g_strdup (libvirt_xml);
  free (libvirt_xml);

  new_xml = mw_check_set_disk_cache_none (facts, xml, NULL, error);
  if (new_xml == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  defined = virDomainDefineXML (context->sconn, new_xml);
  if (defined == NULL)
    {
      mw_libvirt_set_error (error, _("Could not save the new definition"));
      return FALSE;
    }
  virDomainFree (defined);
  return TRUE;
}

/* Locking */

void
mw_check_eval_lock_manager (const MwCheckFacts *facts,
                            MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  guint n_shared = 0;

  for (guint i = 0; i < domain->disks->len; i++)
    {
      const MwDiskFact *disk = &g_array_index (domain->disks, MwDiskFact, i);

      if (disk_is_data (disk) && !disk->readonly && mw_check_disk_is_shared (facts, disk))
        n_shared++;
    }

  if (n_shared == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("No writable disk is shared between the hosts, so there is nothing "
                             "to lock."), NULL, NULL, NULL);
      return;
    }
  if (domain->n_leases > 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("The guest holds sanlock leases, which keep it from running on two "
                             "hosts at once."), NULL, NULL, NULL);
      return;
    }

  mw_check_result_set (
    result, MW_CHECK_STATE_WARNING,
    _("MigWizard sees no lock manager guarding the shared disks: if the guest were ever started "
      "on both hosts, its disks would be corrupted."),
    _("libvirt can lock disk images so a guest cannot run twice: virtlockd (lock_manager = "
      "\"lockd\") takes locks on the image files, which NFS shares between hosts; sanlock "
      "(lock_manager = \"sanlock\") uses leases on shared storage. Which one a host uses is set "
      "in its /etc/libvirt/qemu.conf, which libvirt does not report remotely."),
    _("On both hosts, check: grep ^lock_manager /etc/libvirt/qemu.conf\n"
      "To use virtlockd: set lock_manager = \"lockd\" in /etc/libvirt/qemu.conf, then\n"
      "  systemctl enable --now virtlockd && systemctl restart libvirtd\n"
      "(running guests keep running unlocked until their next start)."),
    NULL);
}
