/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-rules.c: the table of pre-flight checks, and running commands for the probes. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-process.h"
#include "mw-ssh.h"
#include "mw-uri.h"

/* { id, title, needs, eval, run, fix }: eval when the facts decide, run when it probes. */
static const MwCheckSpec specs[] = {
  { "connections", N_("Connections"), MW_CHECK_NEEDS_NOTHING, mw_check_eval_connections, NULL,
    NULL },
  { "same-host", N_("Two different hosts"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST,
    mw_check_eval_same_host, NULL, NULL },
  { "dest-hostname", N_("Destination host name"), MW_CHECK_NEEDS_DEST,
    NULL, mw_check_run_dest_hostname, NULL },
  { "peer-to-peer", N_("Source reaches the destination"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST, NULL, mw_check_run_peer_to_peer, NULL },
  { "ports", N_("Migration ports"), MW_CHECK_NEEDS_DEST, NULL, mw_check_run_ports, NULL },
  { "hypervisor", N_("Hypervisor and architecture"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST,
    mw_check_eval_hypervisor, NULL, NULL },
  { "cpu", N_("Guest CPU on the destination"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    NULL, mw_check_run_cpu, NULL },
  { "cpu-flags", N_("CPU vendor and features"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST,
    mw_check_eval_cpu_flags, NULL, NULL },
  { "name", N_("Name and UUID free on the destination"),
    MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN, mw_check_eval_name, NULL, NULL },
  { "memory", N_("Memory on the destination"), MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_eval_memory, NULL, NULL },
  { "storage", N_("Disks on shared storage"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    NULL, mw_check_run_storage, NULL },
  { "disk-cache", N_("Disk cache mode"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_eval_disk_cache, NULL, mw_check_fix_disk_cache },
  { "devices", N_("Devices that stay behind"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_eval_devices, NULL, NULL },
  { "network", N_("Networks on the destination"), MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_eval_network, NULL, NULL },
  { "lock-manager", N_("Disk locking"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_eval_lock_manager, NULL, NULL },
  { "cluster", N_("Cluster management"), MW_CHECK_NEEDS_DOMAIN, mw_check_eval_cluster, NULL,
    NULL },
  { "autostart", N_("Autostart on the source"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DOMAIN,
    mw_check_eval_autostart, NULL, mw_check_fix_autostart },
  { "speed-limit", N_("Migration speed left on the guest"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DOMAIN, mw_check_eval_speed_limit, NULL,
    mw_check_fix_speed_limit },
  { "forecast", N_("Convergence forecast"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DOMAIN,
    NULL, mw_check_run_forecast, NULL },
  { "zero-copy", N_("Zero-copy on this pair"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    NULL, mw_check_run_zerocopy, NULL },
  { "post-copy", N_("Post-copy on this pair"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    NULL, mw_check_run_postcopy, NULL },
};

const MwCheckSpec *
mw_check_specs_get (guint *n_specs)
{
  *n_specs = G_N_ELEMENTS (specs);
  return specs;
}

char *
mw_check_source_name (const MwCheckFacts *facts)
{
  g_autoptr(MwUri) uri = mw_uri_parse (facts->source_uri, NULL);

  if (uri != NULL && uri->host != NULL)
    return g_strdup (uri->host);
  if (facts->source != NULL && facts->source->hostname != NULL)
    return g_strdup (facts->source->hostname);
  return g_strdup (facts->source_uri);
}

MwVantage
mw_check_ask_source (const MwCheckContext *context,
                     const char * const   *command,
                     GCancellable         *cancellable,
                     char                **out,
                     int                  *status,
                     char                **why_not)
{
  const MwCheckFacts *facts = context->facts;
  g_autofree char *source = mw_check_source_name (facts);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  int code = 0;

  *out = NULL;
  *status = -1;
  *why_not = NULL;

  if (!mw_uri_is_remote (facts->source_uri))
    return MW_VANTAGE_LOCAL_SOURCE;
  /* Over ssh as the source URI's user; the checks' own timeout bounds the whole command
   * (mw_check_spawn). */
  argv = mw_ssh_build_uri_argv (facts->source_uri, command);
  if (argv == NULL)
    {
      *why_not = g_strdup_printf (_("MigWizard runs commands on a source host only over ssh, and "
                                    "%s is reached another way."), source);
      return MW_VANTAGE_DESKTOP;
    }
  if (!mw_check_spawn ((const char * const *) argv, context->timeout_s, cancellable, &output,
                       &code, &error))
    {
      *why_not = g_strdup (error->message);
      return MW_VANTAGE_DESKTOP;
    }
  if (code == -1)
    {
      *why_not = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "ssh to %s did not answer within %u s.",
                                               "ssh to %s did not answer within %u s.",
                                               context->timeout_s),
                                  source, context->timeout_s);
      return MW_VANTAGE_DESKTOP;
    }
  /* 255 is ssh's own failure (no route, key refused…): the command never ran there. */
  if (code == 255)
    {
      *why_not = g_strdup_printf (_("ssh to %s failed: %s"), source,
                                  *output != '\0' ? output : _("no message"));
      return MW_VANTAGE_DESKTOP;
    }

  *out = g_steal_pointer (&output);
  *status = code;
  return MW_VANTAGE_SOURCE;
}

gboolean
mw_check_spawn (const char * const *argv,
                guint               timeout_s,
                GCancellable       *cancellable,
                char              **out,
                int                *status,
                GError            **error)
{
  MwProcessSpec spec = { argv, NULL, NULL, MAX (timeout_s, 1) };
  MwProcessResult result;

  if (!mw_process_run (&spec, cancellable, &result, error))
    return FALSE;
  *status = result.timed_out ? -1 : result.status;
  *out = result.timed_out ? g_strdup ("")
                          : g_strstrip (g_strconcat (result.out, result.err, NULL));
  mw_process_result_clear (&result);
  return TRUE;
}
