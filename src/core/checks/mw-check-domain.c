/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-domain.c: the domain's name and memory on the destination, devices that cannot
 * travel, signs that a cluster manager owns the domain, its autostart and the migration speed
 * libvirt keeps for it. Pure evaluations on the facts, and the fixes of the last two. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-shell.h"

/* Name and UUID */

void
mw_check_eval_name (const MwCheckFacts *facts,
                    MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  gboolean same_name = mw_host_facts_has_domain_name (facts->dest, domain->name);
  gboolean same_uuid = mw_host_facts_has_domain_uuid (facts->dest, domain->uuid);
  g_autofree char *detail = g_strdup_printf (_("Domain %s, UUID %s."), domain->name,
                                             domain->uuid);
  g_autofree char *fix = NULL;
  g_autofree char *dest_uri = NULL;
  g_autofree char *name = NULL;

  if (!same_name && !same_uuid)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("No domain on the destination has this name or UUID."), detail,
                           NULL, NULL);
      return;
    }

  /* Often the stale definition left by an earlier migration without --undefinesource. */
  /* The command line quotes the URI and the name (mw_shell_quote) so it can be pasted. */
  dest_uri = mw_shell_quote (facts->dest_uri);
  name = mw_shell_quote (domain->name);
  fix = g_strdup_printf (_("If the destination’s copy is a stale leftover (an earlier "
                           "migration that kept the definition), remove it there:\n"
                           "  virsh -c %s undefine %s\n"
                           "(add --nvram when it has UEFI variables). Otherwise rename one of "
                           "the two: virsh domrename."), dest_uri, name);
  if (same_name)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("A domain called “%s” already exists on the destination."),
                         domain->name);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail, fix, NULL);
      return;
    }

  {
    g_autofree char *sentence =
      g_strdup_printf (_("A domain with the same UUID (%s) but another name exists on the "
                         "destination."), domain->uuid);

    mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail, fix, NULL);
  }
}

/* Memory */

void
mw_check_eval_memory (const MwCheckFacts *facts,
                      MwCheckResult      *result)
{
  guint64 needed = facts->domain->memory_kib * 1024;
  guint64 free_memory = facts->dest->free_memory;
  g_autofree char *needed_text = mw_format_bytes (needed);
  g_autofree char *free_text = mw_format_bytes (free_memory);
  g_autofree char *detail = NULL;
  const char *fix = _("Free memory on the destination (stop or move other guests), or lower "
                      "the guest’s memory before migrating.");

  if (!facts->dest->have_free_memory)
    {
      mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                           _("The destination does not say how much memory is free."),
                           NULL, NULL, NULL);
      return;
    }

  detail = g_strdup_printf (_("The guest uses %s; the destination has %s free."), needed_text,
                            free_text);
  if (free_memory < needed)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("The destination has only %s free; the guest needs %s."), free_text,
                         needed_text);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail, fix, NULL);
      return;
    }
  /* QEMU's own overhead and the host's page cache need room too. */
  if (free_memory - needed < needed / 10 + 256 * 1024 * 1024)
    {
      mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                           _("The guest fits in the destination’s free memory, with little to "
                             "spare."), detail, fix, NULL);
      return;
    }

  mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                       _("The destination has enough free memory."), detail, NULL, NULL);
}

/* Devices that stay behind */

static void
raise_state (MwCheckState *state,
             MwCheckState  to)
{
  if (to > *state)
    *state = to;
}

void
mw_check_eval_devices (const MwCheckFacts *facts,
                       MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  MwCheckState state = MW_CHECK_STATE_PASSED;
  g_autoptr(GString) sentence = g_string_new (NULL);
  g_autoptr(GString) fix = g_string_new (NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  gboolean copying = facts->options->storage != MW_MIGRATION_STORAGE_SHARED;
  /* The command lines quote the URI and the names (mw_shell_quote) so they can be pasted. */
  g_autofree char *source_uri = mw_shell_quote (facts->source_uri);
  g_autofree char *name = mw_shell_quote (domain->name);

  for (guint i = 0; i < domain->hostdevs->len; i++)
    {
      const char *hostdev = g_ptr_array_index (domain->hostdevs, i);

      raise_state (&state, MW_CHECK_STATE_BLOCKING);
      g_string_append_printf (sentence, _("Host device %s is passed through to the guest and "
                                          "cannot move with it. "), hostdev);
      g_string_append_printf (fix, _("Detach %s before migrating (virsh -c %s detach-device "
                                     "%s FILE.xml --live, with its <hostdev> element in "
                                     "FILE.xml) and attach the destination’s own afterwards.\n"),
                              hostdev, source_uri, name);
    }

  for (guint i = 0; i < domain->disks->len; i++)
    {
      const MwDiskFact *disk = &g_array_index (domain->disks, MwDiskFact, i);
      g_autofree char *target = NULL;

      if (g_strcmp0 (disk->device, "cdrom") != 0 && g_strcmp0 (disk->device, "floppy") != 0)
        continue;
      if (disk->source == NULL || *disk->source == '\0')
        continue;  /* an empty drive travels */
      if (mw_check_disk_is_shared (facts, disk))
        continue;

      raise_state (&state, MW_CHECK_STATE_BLOCKING);
      g_string_append_printf (sentence, _("The %s %s holds a local image (%s) the destination "
                                          "does not have. "), disk->device, disk->target,
                              disk->source);
      target = mw_shell_quote (disk->target);
      g_string_append_printf (fix, _("Eject it first: virsh -c %s change-media %s %s --eject "
                                     "--live (or put the image on shared storage).\n"),
                              source_uri, name, target);
    }

  if (domain->nvram != NULL)
    {
      const MwPoolFact *pool = mw_host_facts_find_pool_for_path (facts->source, domain->nvram);
      gboolean shared = pool != NULL && mw_host_facts_find_pool (facts->dest, pool->name) != NULL;

      if (!shared && !copying)
        {
          raise_state (&state, MW_CHECK_STATE_WARNING);
          g_string_append_printf (sentence, _("The UEFI variables (%s) stay on the source: the "
                                              "destination starts the guest with fresh ones at "
                                              "its next boot. "), domain->nvram);
          g_string_append_printf (fix, _("Copy the file to the same path on the destination "
                                         "before migrating, e.g. scp as root.\n"));
        }
      g_string_append_printf (detail, _("NVRAM: %s.\n"), domain->nvram);
    }

  if (g_strcmp0 (domain->tpm_backend, "passthrough") == 0)
    {
      raise_state (&state, MW_CHECK_STATE_BLOCKING);
      g_string_append (sentence, _("The guest uses the host’s own TPM (passthrough), which "
                                   "cannot move. "));
      g_string_append (fix, _("Switch the guest to an emulated TPM (swtpm) before migrating.\n"));
    }
  else if (domain->tpm_backend != NULL)
    g_string_append (detail, _("Emulated TPM: its state travels with the migration.\n"));

  g_strchomp (sentence->str);
  sentence->len = strlen (sentence->str);
  g_strchomp (fix->str);
  g_strchomp (detail->str);
  if (state == MW_CHECK_STATE_PASSED)
    mw_check_result_set (result, state,
                         _("No passthrough device, local CD-ROM image, UEFI variables or TPM "
                           "stays behind."), detail->str[0] ? detail->str : NULL, NULL, NULL);
  else
    mw_check_result_set (result, state, sentence->str, detail->str[0] ? detail->str : NULL,
                         fix->str, NULL);
}

/* Cluster management */

void
mw_check_eval_cluster (const MwCheckFacts *facts,
                       MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  g_autofree char *why = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *fix = NULL;

  if (domain->cluster_hint != NULL)
    why = g_strdup (domain->cluster_hint);
  else if (!domain->persistent && domain->active)
    why = g_strdup (_("it is transient, as Pacemaker’s VirtualDomain agent leaves the guests it "
                      "starts"));

  if (why == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Nothing suggests a cluster manager owns this domain."),
                           _("Looked for Pacemaker in its metadata, title and description, and "
                             "whether it is transient."), NULL, NULL);
      return;
    }

  sentence = g_strdup_printf (_("This domain looks cluster-managed (%s): move it with the "
                                "cluster instead, or the cluster may restart it on the source "
                                "or run it twice."), why);
  fix = g_strdup_printf (
    _("Move the resource with the cluster tools:\n"
      "  pcs resource move RESOURCE DESTINATION-NODE   (or: crm resource move RESOURCE NODE)\n"
      "The resource must allow live migration, for example:\n"
      "  primitive vm_%s ocf:heartbeat:VirtualDomain \\\n"
      "    params config=\"/etc/pacemaker/%s.xml\" hypervisor=\"qemu:///system\" "
      "migration_transport=ssh \\\n"
      "    meta allow-migrate=true \\\n"
      "    op migrate_to timeout=120s op migrate_from timeout=120s\n"
      "(pcs: pcs resource update vm_%s meta allow-migrate=true)"),
    domain->name, domain->name, domain->name);

  mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, NULL, fix, NULL);
}

/* Autostart on the source */

void
mw_check_eval_autostart (const MwCheckFacts *facts,
                         MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  g_autofree char *source = NULL;
  g_autofree char *source_uri = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *label = NULL;

  if (!domain->persistent || !domain->autostart)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("The guest does not start by itself when the source host boots."),
                           NULL, NULL, NULL);
      return;
    }
  if (facts->options->persistence == MW_MIGRATION_PERSISTENCE_MOVE)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("The guest starts by itself when the source host boots, but the "
                             "migration removes its definition there."),
                           NULL, NULL, NULL);
      return;
    }

  /* A temporary migration keeps the definition on the source, autostart flag and all: the next
   * boot of the source starts a second copy of a guest already running elsewhere, on the same
   * shared disks. */
  source = mw_check_source_name (facts);
  source_uri = mw_shell_quote (facts->source_uri);
  name = mw_shell_quote (domain->name);
  sentence = g_strdup_printf (_("The guest starts by itself when %s boots, and this migration "
                                "keeps its definition there: after a reboot of %s a second copy "
                                "would run on the same disks."), source, source);
  fix = g_strdup_printf (_("Turn autostart off on the source:\n"
                           "  virsh -c %s autostart --disable %s\n"
                           "or move the guest for good (persistent on the destination, "
                           "undefined on the source)."), source_uri, name);
  /* Translators: a button; %s is the source host's name */
  label = g_strdup_printf (_("Turn Autostart Off on %s"), source);
  mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, NULL, fix, label);
}

/* A fix's libvirt call on the guest on the source, as a fix runs it (a worker). */
static gboolean
fix_source_domain (const MwCheckContext  *context,
                   GCancellable          *cancellable,
                   int                  (*call) (virDomainPtr domain),
                   const char            *failed,
                   GError               **error)
{
  virDomainPtr domain = mw_libvirt_lookup_domain (context->sconn, context->facts->domain->uuid,
                                                  _("The domain is gone from the source"), error);
  int status;

  if (domain == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      virDomainFree (domain);
      return FALSE;
    }
  status = call (domain);
  if (status < 0)
    mw_libvirt_set_error (error, failed);
  virDomainFree (domain);
  return status == 0;
}

static int
autostart_off (virDomainPtr domain)
{
  return virDomainSetAutostart (domain, 0);
}

gboolean
mw_check_fix_autostart (const MwCheckContext *context,
                        GCancellable         *cancellable,
                        GError              **error)
{
  return fix_source_domain (context, cancellable, autostart_off,
                            _("Could not turn autostart off"), error);
}

/* A migration speed left on the guest */

guint64
mw_check_leftover_speed (const MwCheckFacts *facts)
{
  guint64 speed = facts->domain->migrate_speed_mib_s;

  return speed == 0 || speed >= MW_LIBVIRT_SPEED_UNLIMITED_MIB_S ? 0 : speed;
}

void
mw_check_eval_speed_limit (const MwCheckFacts *facts,
                           MwCheckResult      *result)
{
  const MwMigrationOptions *options = facts->options;
  guint64 speed = mw_check_leftover_speed (facts);
  /* Figures as text: xgettext cannot read G_GUINT64_FORMAT inside a message. */
  g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT, speed);
  g_autofree char *unlimited = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                MW_LIBVIRT_SPEED_UNLIMITED_MIB_S);
  g_autofree char *source = NULL;
  g_autofree char *source_uri = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *label = NULL;

  if (facts->domain->migrate_speed_mib_s == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("This host’s libvirt does not say whether a migration speed limit "
                             "was left on the guest."), NULL, NULL, NULL);
      return;
    }
  if (speed == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("No migration speed limit was left on the guest."),
                           NULL, NULL, NULL);
      return;
    }

  source = mw_check_source_name (facts);
  if (options->mode == MW_MIGRATION_MODE_OFFLINE)
    {
      sentence = g_strdup_printf (_("libvirt on %s keeps a speed limit of %s MiB/s for the "
                                    "guest’s migrations; an offline migration copies no memory, "
                                    "so it does not apply."), source, limit);
      mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, NULL, NULL, NULL);
      return;
    }
  if (options->bandwidth_mib_s != 0)
    {
      sentence = g_strdup_printf (_("libvirt on %s keeps a speed limit of %s MiB/s for the "
                                    "guest’s migrations; this migration’s own limit of %u MiB/s "
                                    "replaces it."), source, limit,
                                  options->bandwidth_mib_s);
      mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, NULL, NULL, NULL);
      return;
    }

  /* libvirt applies it to every migration that sets no bandwidth of its own (virsh
   * migrate-setspeed, or a speed change that reached the guest after its migration ended). */
  source_uri = mw_shell_quote (facts->source_uri);
  name = mw_shell_quote (facts->domain->name);
  sentence = g_strdup_printf (_("libvirt on %s keeps a speed limit of %s MiB/s for the guest’s "
                                "migrations, left there by an earlier command: with no "
                                "bandwidth limit of your own, this migration runs at most that "
                                "fast."), source, limit);
  fix = g_strdup_printf (_("Lift it on the source:\n"
                           "  virsh -c %s migrate-setspeed %s %s\n"
                           "or set a bandwidth limit of your own in the options."),
                         source_uri, name, unlimited);
  /* Translators: a button; %s is the source host's name */
  label = g_strdup_printf (_("Lift the Limit on %s"), source);
  mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, NULL, fix, label);
}

static int
speed_unlimited (virDomainPtr domain)
{
  return virDomainMigrateSetMaxSpeed (domain, MW_LIBVIRT_SPEED_UNLIMITED_MIB_S, 0);
}

gboolean
mw_check_fix_speed_limit (const MwCheckContext *context,
                          GCancellable         *cancellable,
                          GError              **error)
{
  return fix_source_domain (context, cancellable, speed_unlimited,
                            _("Could not lift the migration speed limit"), error);
}
