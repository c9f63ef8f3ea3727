/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-connection.c: both hosts answer, are two hosts, and can reach each other.
 *
 * What matters for peer-to-peer and for the migration stream is the *source host's* view of
 * the destination, with the source libvirtd's credentials (root's). When the source is reached
 * over ssh, those probes run on the source (`virsh -c DEST`, `getent`, bash's /dev/tcp); with a
 * local source URI this computer is the source. When the source cannot be asked (another
 * transport, ssh failing), name resolution and ports are tried from this computer in its stead:
 * hosts often resolve each other on a migration network the desktop knows nothing of, so such a
 * result warns but never blocks. Every result says where it was seen from (MwVantage).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-uri.h"
#include "mw-shell.h"
#include "mw-ssh.h"

/* QEMU's default migration port range (qemu.conf migration_port_min/max). */
#define MIGRATION_PORT_MIN 49152
#define MIGRATION_PORT_MAX 49215

static gboolean
is_test_driver (const char *uri)
{
  return uri != NULL && g_str_has_prefix (uri, "test:");
}

/* A destination on libvirt's test driver has nothing to reach over the network: result passes,
 * and TRUE says so. */
static gboolean
passed_for_test_driver (const MwCheckFacts *facts,
                        MwCheckResult      *result)
{
  if (!is_test_driver (facts->dest_uri))
    return FALSE;
  mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                       _("Nothing to reach: the destination is libvirt’s test driver."), NULL, NULL,
                       NULL);
  return TRUE;
}

static char *
uri_host (const char *uri_text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (uri_text, NULL);

  return uri != NULL ? g_strdup (uri->host) : NULL;
}

/* Connections */

void
mw_check_eval_connections (const MwCheckFacts *facts,
                           MwCheckResult      *result)
{
  const char *remote_fix = _("Check the URI, that libvirtd runs there, and that this computer "
                             "can log in without a password prompt (ssh keys or an agent).");
  /* This computer's own libvirt: no login; a refusal's detail says what to do (the group). */
  const char *local_fix = _("Check that libvirt’s daemon runs on this computer and that it lets "
                            "you in (see the detail).");
  g_autofree char *failed_host = uri_host (facts->source->error != NULL ? facts->source_uri
                                                                          : facts->dest_uri);
  const char *fix = failed_host != NULL ? remote_fix : local_fix;

  if (facts->source->error != NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("MigWizard cannot reach the source host "
                                                     "(%s)."), facts->source_uri);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, facts->source->error, fix,
                           NULL);
      return;
    }
  if (facts->dest->error != NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("MigWizard cannot reach the destination "
                                                     "host (%s)."), facts->dest_uri);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, facts->dest->error, fix,
                           NULL);
      return;
    }
  if (facts->domain == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("The domain “%s” cannot be read on the "
                                                     "source host."), facts->domain_name);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, facts->domain_error,
                           _("Check the domain’s name, and that it is defined on the source."),
                           NULL);
      return;
    }

  {
    g_autofree char *sentence = g_strdup_printf (_("Both hosts answer: %s and %s."),
                                                 facts->source->hostname, facts->dest->hostname);
    g_autofree char *detail = g_strdup_printf (_("Source: %s (%s). Destination: %s (%s)."),
                                               facts->source_uri, facts->source->hv_type,
                                               facts->dest_uri, facts->dest->hv_type);

    mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, detail, NULL, NULL);
  }
}

/* Same host */

void
mw_check_eval_same_host (const MwCheckFacts *facts,
                         MwCheckResult      *result)
{
  const char *source_uuid = facts->source->host_uuid;
  const char *dest_uuid = facts->dest->host_uuid;

  if (source_uuid != NULL && g_strcmp0 (source_uuid, dest_uuid) == 0)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("Both connections report the same host UUID (%s): libvirt will treat "
                           "this as a migration to the same host and refuse it."), source_uuid);
      g_autofree char *detail =
        g_strdup_printf (_("Source %s (%s) and destination %s (%s). If these are two "
                           "machines, one was cloned from the other and kept its host UUID; "
                           "cloned hosts need a new host_uuid."),
                         facts->source->hostname, facts->source_uri, facts->dest->hostname,
                         facts->dest_uri);
      const char *fix =
        _("On one of the two hosts, give libvirt a new host UUID: add the line\n"
          "  host_uuid = \"<the output of uuidgen>\"\n"
          "to /etc/libvirt/libvirtd.conf (virtqemud.conf with modular daemons), then\n"
          "  systemctl restart libvirtd");

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail, fix, NULL);
      return;
    }

  if (g_strcmp0 (facts->source_uri, facts->dest_uri) == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("The source and the destination are the same connection."),
                           facts->source_uri, _("Choose another destination host."), NULL);
      return;
    }

  if (source_uuid == NULL || dest_uuid == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("The source and the destination are different connections."),
                           _("At least one host does not report a host UUID, so only the "
                             "connections were compared."), NULL, NULL);
      return;
    }

  {
    g_autofree char *detail = g_strdup_printf (_("Host UUIDs: %s and %s."), source_uuid,
                                               dest_uuid);

    mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                         _("The source and the destination are two different hosts."), detail,
                         NULL, NULL);
  }
}

/* Destination host name */

/* One line of the detail saying where the names below it were looked up. */
static void
append_lookup_vantage (GString              *detail,
                       const MwCheckFacts   *facts,
                       const MwVantagePoint *vantage)
{
  g_autofree char *source = mw_check_source_name (facts);

  switch (vantage->kind)
    {
    case MW_VANTAGE_SOURCE:
      g_string_append_printf (detail, _("Looked up on the source host, %s, over ssh, where the "
                                        "migration stream starts."), source);
      break;
    case MW_VANTAGE_LOCAL_SOURCE:
      g_string_append (detail, _("Looked up on this computer, which is the source host."));
      break;
    case MW_VANTAGE_DESKTOP:
    default:
      g_string_append_printf (detail, _("Looked up on this computer, not on %s: %s"), source,
                              vantage->why_not != NULL ? vantage->why_not : "");
      break;
    }
}

static gboolean
vantage_decides (const MwVantagePoint *vantage)
{
  return vantage->kind != MW_VANTAGE_DESKTOP;
}

/* A name that does not resolve, or resolves to loopback, where the stream starts: blocking. */
static void
set_hostname_problem (const MwCheckFacts   *facts,
                      const MwResolveProbe *probe,
                      const char           *detail,
                      MwCheckResult        *result)
{
  g_autofree char *source = mw_check_source_name (facts);
  g_autofree char *sentence = NULL;
  g_autofree char *fix = NULL;

  if (probe->outcome == MW_RESOLVE_LOOPBACK)
    {
      if (probe->vantage.kind == MW_VANTAGE_SOURCE)
        sentence = g_strdup_printf (_("On the source host, %s, the destination’s name “%s” "
                                      "resolves to localhost (%s): the source would send the "
                                      "migration to itself."), source, probe->name,
                                    probe->addresses);
      else
        sentence = g_strdup_printf (_("On this computer, the source host, the destination’s name "
                                      "“%s” resolves to localhost (%s): it would send the "
                                      "migration to itself."), probe->name, probe->addresses);
      fix = g_strdup_printf (_("Make “%s” resolve to the destination’s real address on the source "
                               "(DNS, or a line in the source’s /etc/hosts; Debian maps a host’s "
                               "own name to 127.0.1.1), or set migration_host in the "
                               "destination’s /etc/libvirt/qemu.conf."), probe->name);
    }
  else
    {
      if (probe->vantage.kind == MW_VANTAGE_SOURCE)
        sentence = g_strdup_printf (_("The source host, %s, cannot resolve the destination’s "
                                      "name “%s”: the migration stream would have nowhere to "
                                      "go."), source, probe->name);
      else
        sentence = g_strdup_printf (_("This computer, the source host, cannot resolve the "
                                      "destination’s name “%s”: the migration stream would have "
                                      "nowhere to go."), probe->name);
      fix = g_strdup (_("Add the name to DNS or to the source’s /etc/hosts, or set "
                        "migration_host in the destination’s /etc/libvirt/qemu.conf."));
    }
  mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail, fix, NULL);
}

/* The same, seen only from this computer in the source's stead: a warning, never blocking. */
static void
set_hostname_doubt (const MwCheckFacts   *facts,
                    const MwResolveProbe *probe,
                    const char           *detail,
                    MwCheckResult        *result)
{
  g_autofree char *source = mw_check_source_name (facts);
  g_autofree char *quoted = mw_shell_quote (probe->name);
  g_autofree char *sentence = NULL;
  g_autofree char *fix = NULL;

  if (probe->outcome == MW_RESOLVE_LOOPBACK)
    sentence = g_strdup_printf (_("Checked from this computer, not from %s: here the "
                                  "destination’s name “%s” resolves to localhost (%s). If %s "
                                  "resolves it the same way, it would send the migration to "
                                  "itself."), source, probe->name, probe->addresses, source);
  else
    sentence = g_strdup_printf (_("Checked from this computer, not from %s: the destination’s "
                                  "name “%s” does not resolve here. That need not matter: the "
                                  "migration stream leaves from %s, which may resolve it (for "
                                  "example on its own migration network)."), source, probe->name,
                                source);
  fix = g_strdup_printf (_("Check on %s that this prints the destination’s real address:\n"
                           "  getent ahosts %s\nMigWizard checks there itself when it reaches "
                           "the source over ssh (a qemu+ssh:// URI that logs in without a "
                           "prompt)."), source, quoted);
  mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, detail, fix, NULL);
}

void
mw_check_eval_dest_hostname (const MwCheckFacts   *facts,
                             const MwResolveProbe *probes,
                             guint                 n_probes,
                             MwCheckResult        *result)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *source = mw_check_source_name (facts);
  const MwResolveProbe *problem = NULL;   /* where the stream starts: blocking */
  const MwResolveProbe *doubt = NULL;     /* seen from this computer only: a warning */
  const MwVantagePoint *shown = NULL;
  gboolean any_desktop = FALSE;
  guint n_checked = 0;

  for (guint i = 0; i < n_probes; i++)
    {
      const MwResolveProbe *probe = &probes[i];
      gboolean bad = probe->outcome == MW_RESOLVE_LOOPBACK || probe->outcome == MW_RESOLVE_FAILED;

      if (probe->outcome != MW_RESOLVE_NOT_CHECKED
          && (shown == NULL || shown->kind != probe->vantage.kind))
        {
          if (detail->len > 0)
            g_string_append_c (detail, '\n');
          append_lookup_vantage (detail, facts, &probe->vantage);
          shown = &probe->vantage;
        }
      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      switch (probe->outcome)
        {
        case MW_RESOLVE_REMOTE:
          g_string_append_printf (detail, _("“%s” resolves to %s."), probe->name,
                                  probe->addresses);
          break;
        case MW_RESOLVE_LOOPBACK:
          g_string_append_printf (detail, _("“%s” resolves to %s, a loopback address."),
                                  probe->name, probe->addresses);
          break;
        case MW_RESOLVE_FAILED:
          g_string_append_printf (detail, _("“%s” does not resolve."), probe->name);
          break;
        case MW_RESOLVE_NOT_CHECKED:
        default:
          g_string_append_printf (detail, _("“%s” could not be looked up where it matters."),
                                  probe->name);
          break;
        }
      if (probe->outcome == MW_RESOLVE_NOT_CHECKED)
        continue;
      n_checked++;
      any_desktop |= !vantage_decides (&probe->vantage);
      if (bad)
        {
          const MwResolveProbe **worst = vantage_decides (&probe->vantage) ? &problem : &doubt;

          /* Loopback before failure: it is the surer sign of a wrong set-up. */
          if (*worst == NULL || ((*worst)->outcome != MW_RESOLVE_LOOPBACK
                                 && probe->outcome == MW_RESOLVE_LOOPBACK))
            *worst = probe;
        }
    }

  if (problem != NULL)
    {
      set_hostname_problem (facts, problem, detail->str, result);
      return;
    }
  if (doubt != NULL)
    {
      set_hostname_doubt (facts, doubt, detail->str, result);
      return;
    }
  if (n_checked == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Nothing to resolve for this destination."),
                           detail->len > 0 ? detail->str : NULL, NULL, NULL);
      return;
    }

  {
    g_autofree char *sentence = NULL;

    if (any_desktop)
      sentence = g_strdup_printf (_("Checked from this computer, not from %s: the destination’s "
                                    "name resolves to a real address here."), source);
    else if (shown->kind == MW_VANTAGE_SOURCE)
      sentence = g_strdup_printf (_("The source host, %s, resolves the destination’s name to a "
                                    "real address."), source);
    else
      sentence = g_strdup (_("This computer, the source host, resolves the destination’s name to "
                             "a real address."));
    mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, detail->str, NULL, NULL);
  }
}

/* Adds address to the comma-separated list found, once; notes whether any is not loopback. */
static void
add_address (GString      *found,
             GInetAddress *inet,
             gboolean     *any_remote)
{
  g_autofree char *address = g_inet_address_to_string (inet);
  g_auto(GStrv) known = g_strsplit (found->str, ", ", -1);

  if (g_strv_contains ((const char * const *) known, address))
    return;
  *any_remote |= !g_inet_address_get_is_loopback (inet);
  g_string_append_printf (found, "%s%s", found->len > 0 ? ", " : "", address);
}

/* Looks name up on the source host (getent over ssh) when it can be asked, else here. Worker
 * thread. *why_not (owned by the caller) backs probe->vantage.why_not. */
static void
resolve_name (const MwCheckContext *context,
              const char           *name,
              gboolean              dest_is_here,
              MwResolveProbe       *probe,
              char                **addresses,
              char                **why_not,
              GCancellable         *cancellable)
{
  const char *command[] = { "getent", "ahosts", name, NULL };
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *out = NULL;
  gboolean any_remote = FALSE;
  int status = 0;

  probe->name = name;
  probe->outcome = MW_RESOLVE_NOT_CHECKED;
  probe->vantage.kind = mw_check_ask_source (context, command, cancellable, &out, &status,
                                             why_not);

  /* getent: 0 found, 2 not found; anything else means it could not look (not installed…). */
  if (probe->vantage.kind == MW_VANTAGE_SOURCE && status != 0 && status != 2)
    {
      g_autofree char *source = mw_check_source_name (context->facts);

      *why_not = g_strdup_printf (_("getent on %s failed (exit status %d): %s"), source, status,
                                  out);
      probe->vantage.kind = MW_VANTAGE_DESKTOP;
    }
  probe->vantage.why_not = *why_not;

  if (probe->vantage.kind == MW_VANTAGE_SOURCE)
    {
      g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

      for (guint i = 0; status == 0 && lines[i] != NULL; i++)
        {
          g_autofree char *address = g_strndup (lines[i], strcspn (lines[i], " \t"));
          g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

          if (inet != NULL)
            add_address (found, inet, &any_remote);
        }
    }
  else
    {
      g_autoptr(GResolver) resolver = NULL;
      GList *list;

      /* This computer resolving the destination's own name when the destination is this
       * computer says nothing: Debian maps every host's own name to 127.0.1.1. */
      if (dest_is_here)
        return;
      resolver = g_resolver_get_default ();
      list = g_resolver_lookup_by_name (resolver, name, cancellable, NULL);
      for (GList *l = list; l != NULL; l = l->next)
        add_address (found, l->data, &any_remote);
      g_resolver_free_addresses (list);
    }

  if (found->len == 0)
    probe->outcome = MW_RESOLVE_FAILED;
  else
    probe->outcome = any_remote ? MW_RESOLVE_REMOTE : MW_RESOLVE_LOOPBACK;
  *addresses = g_string_free (g_steal_pointer (&found), FALSE);
  probe->addresses = *addresses;
}

void
mw_check_run_dest_hostname (const MwCheckContext *context,
                            MwCheckResult        *result,
                            GCancellable         *cancellable)
{
  const MwCheckFacts *facts = context->facts;
  g_autofree char *uri_name = uri_host (facts->dest_uri);
  char *addresses[2] = { NULL, NULL };
  char *why_not[2] = { NULL, NULL };
  MwResolveProbe probes[2] = { { 0 } };
  guint n = 0;

  if (is_test_driver (facts->dest_uri))
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Nothing to resolve: the destination is libvirt’s test driver."),
                           NULL, NULL, NULL);
      return;
    }

  /* Peer-to-peer: the source connects to the URI's host. Every mode: QEMU on the source sends
   * the stream to the destination's own host name, unless migration_host says otherwise. */
  if (uri_name != NULL && facts->options->connection != MW_MIGRATION_CONNECTION_CLIENT)
    {
      resolve_name (context, uri_name, FALSE, &probes[n], &addresses[n], &why_not[n],
                    cancellable);
      n++;
    }
  if (facts->dest->hostname != NULL && g_strcmp0 (facts->dest->hostname, uri_name) != 0)
    {
      resolve_name (context, facts->dest->hostname, uri_name == NULL, &probes[n], &addresses[n],
                    &why_not[n], cancellable);
      n++;
    }

  mw_check_eval_dest_hostname (facts, probes, n, result);
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_free (addresses[i]);
      g_free (why_not[i]);
    }
}

/* Peer-to-peer */

void
mw_check_eval_peer_to_peer (const MwCheckFacts *facts,
                            MwProbeOutcome      outcome,
                            const char         *output,
                            MwCheckResult      *result)
{
  g_autofree char *command = NULL;
  g_autofree char *fix = NULL;
  const char *argv[] = { "virsh", "-c", facts->dest_uri, "hostname", NULL };

  if (facts->options->connection == MW_MIGRATION_CONNECTION_CLIENT)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Not needed: MigWizard itself talks to both hosts."),
                           _("Peer-to-peer and tunnelled migrations have the source host "
                             "connect to the destination; this one is client-driven."),
                           NULL, NULL);
      return;
    }

  if (passed_for_test_driver (facts, result))
    return;

  if (!mw_uri_is_remote (facts->dest_uri))
    {
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("Peer-to-peer needs a destination URI that names the destination "
                             "host; this one is local to whoever opens it."),
                           facts->dest_uri,
                           _("Connect to the destination with a remote URI such as "
                             "qemu+ssh://root@HOST/system."), NULL);
      return;
    }

  command = mw_shell_join (argv);
  fix = g_strdup_printf (_("On the source host, as root (libvirtd’s user), this must work "
                           "without a prompt:\n  %s\nFor qemu+ssh: put the destination’s host "
                           "key in root’s known_hosts and root’s public key in the "
                           "destination’s authorized_keys."), command);

  switch (outcome)
    {
    case MW_PROBE_OK:
      {
        g_autofree char *sentence =
          g_strdup_printf (_("The source host reaches the destination with its own credentials "
                             "(it answers as “%s”)."), output);

        mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, command, NULL, NULL);
      }
      break;
    case MW_PROBE_FAILED:
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("The source host cannot open the destination URI with its own "
                             "credentials, which peer-to-peer migration needs."),
                           output, fix, NULL);
      break;
    case MW_PROBE_TIMED_OUT:
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("The source host did not reach the destination in time."), output,
                           fix, NULL);
      break;
    case MW_PROBE_NOT_RUN:
    default:
      mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                           _("MigWizard cannot test from here whether the source host reaches "
                             "the destination with its own credentials."),
                           _("Peer-to-peer uses the source libvirtd’s credentials (root’s), not "
                             "this desktop’s; it can only be tried on the source, which is "
                             "reached over ssh for that."), fix, NULL);
      break;
    }
}

void
mw_check_run_peer_to_peer (const MwCheckContext *context,
                           MwCheckResult        *result,
                           GCancellable         *cancellable)
{
  const MwCheckFacts *facts = context->facts;
  g_autoptr(MwUri) dest = mw_uri_parse (facts->dest_uri, NULL);
  g_autofree char *normalized = NULL;
  g_autofree char *dest_uri = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  MwProbeOutcome outcome = MW_PROBE_NOT_RUN;
  int status = 0;

  if (facts->options->connection == MW_MIGRATION_CONNECTION_CLIENT || dest == NULL
      || !mw_uri_is_remote (facts->dest_uri))
    {
      mw_check_eval_peer_to_peer (facts, MW_PROBE_NOT_RUN, NULL, result);
      return;
    }

  /* As libvirtd would: no terminal to ask on. */
  normalized = mw_uri_to_string (dest);
  dest_uri = mw_libvirt_uri_no_tty (normalized);

  {
    const char *command[] = { "virsh", "-q", "-c", dest_uri, "hostname", NULL };

    argv = mw_ssh_build_uri_argv (facts->source_uri, command);
    if (argv != NULL)
      {
        if (!mw_check_spawn ((const char * const *) argv, context->timeout_s, cancellable, &out,
                             &status, NULL))
          outcome = MW_PROBE_NOT_RUN;
        else if (status == -1)
          outcome = MW_PROBE_TIMED_OUT;
        else if (status == 255)
          outcome = MW_PROBE_NOT_RUN;  /* our own ssh to the source failed */
        else
          outcome = status == 0 ? MW_PROBE_OK : MW_PROBE_FAILED;
      }
  }

  mw_check_eval_peer_to_peer (facts, outcome, out, result);
}

/* Ports */

/* The detail: the port range, where it was tried from, and what the probe said. */
static char *
ports_detail (const MwCheckFacts   *facts,
              const char           *host,
              const MwVantagePoint *vantage,
              const char           *output)
{
  g_autofree char *source = mw_check_source_name (facts);
  GString *detail = g_string_new (NULL);

  g_string_append_printf (detail, _("QEMU listens on the destination on a port in %d–%d for "
                                    "each migration."), MIGRATION_PORT_MIN, MIGRATION_PORT_MAX);
  g_string_append_c (detail, '\n');
  switch (vantage->kind)
    {
    case MW_VANTAGE_SOURCE:
      g_string_append_printf (detail, _("Tried %s:%d from the source host, %s, over ssh."), host,
                              MIGRATION_PORT_MIN, source);
      break;
    case MW_VANTAGE_LOCAL_SOURCE:
      g_string_append_printf (detail, _("Tried %s:%d from this computer, which is the source "
                                        "host."), host, MIGRATION_PORT_MIN);
      break;
    case MW_VANTAGE_DESKTOP:
    default:
      g_string_append_printf (detail, _("Tried %s:%d from this computer, not from %s: %s"), host,
                              MIGRATION_PORT_MIN, source,
                              vantage->why_not != NULL ? vantage->why_not : "");
      break;
    }
  if (output != NULL && *output != '\0')
    g_string_append_printf (detail, "\n%s", output);
  return g_string_free (detail, FALSE);
}

void
mw_check_eval_ports (const MwCheckFacts   *facts,
                     const char           *host,
                     MwProbeOutcome        outcome,
                     const MwVantagePoint *vantage,
                     const char           *output,
                     MwCheckResult        *result)
{
  g_autofree char *source = mw_check_source_name (facts);
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *sentence = NULL;
  MwCheckState state = MW_CHECK_STATE_WARNING;
  MwVantage kind = vantage->kind;

  if (facts->options->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Not needed: a tunnelled migration goes through the libvirt "
                             "connection."), NULL, NULL, NULL);
      return;
    }
  if (passed_for_test_driver (facts, result))
    return;
  if (outcome == MW_PROBE_NOT_RUN || host == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                           _("The destination’s migration ports were not tried: the destination "
                             "did not report its host name."), NULL, NULL, NULL);
      return;
    }

  detail = ports_detail (facts, host, vantage, output);
  fix = g_strdup_printf (_("Open TCP ports %d–%d on the destination’s firewall for the source, "
                           "e.g.\n  firewall-cmd --permanent --add-port=%d-%d/tcp && "
                           "firewall-cmd --reload\nor migrate tunnelled (slower, but only "
                           "needs the libvirt connection)."), MIGRATION_PORT_MIN,
                         MIGRATION_PORT_MAX, MIGRATION_PORT_MIN, MIGRATION_PORT_MAX);

  switch (outcome)
    {
    case MW_PROBE_OK:
      state = MW_CHECK_STATE_PASSED;
      g_clear_pointer (&fix, g_free);
      if (kind == MW_VANTAGE_SOURCE)
        sentence = g_strdup_printf (_("The source host, %s, reaches the destination’s migration "
                                      "ports."), source);
      else if (kind == MW_VANTAGE_LOCAL_SOURCE)
        sentence = g_strdup (_("This computer, the source host, reaches the destination’s "
                               "migration ports."));
      else
        sentence = g_strdup_printf (_("Checked from this computer, not from %s: the destination’s "
                                      "migration ports are reachable from here."), source);
      break;
    case MW_PROBE_TIMED_OUT:
      /* Only where the stream starts does a dropped connection block. */
      state = kind == MW_VANTAGE_DESKTOP ? MW_CHECK_STATE_WARNING : MW_CHECK_STATE_BLOCKING;
      if (kind == MW_VANTAGE_SOURCE)
        sentence = g_strdup_printf (_("A firewall drops connections from the source host, %s, to "
                                      "the destination’s migration ports."), source);
      else if (kind == MW_VANTAGE_LOCAL_SOURCE)
        sentence = g_strdup (_("A firewall drops connections from this computer, the source "
                               "host, to the destination’s migration ports."));
      else
        sentence = g_strdup_printf (_("Checked from this computer, not from %s: a firewall drops "
                                      "connections from here to the destination’s migration "
                                      "ports. %s may still reach them."), source, source);
      break;
    case MW_PROBE_FAILED:
    case MW_PROBE_NOT_RUN:
    default:
      if (kind == MW_VANTAGE_SOURCE)
        sentence = g_strdup_printf (_("The source host, %s, could not try the destination’s "
                                      "migration ports."), source);
      else if (kind == MW_VANTAGE_LOCAL_SOURCE)
        sentence = g_strdup (_("This computer, the source host, could not try the destination’s "
                               "migration ports."));
      else
        sentence = g_strdup_printf (_("Checked from this computer, not from %s: the destination’s "
                                      "migration ports could not be tried from here."), source);
      break;
    }

  mw_check_result_set (result, state, sentence, detail, fix, NULL);
}

void
mw_check_run_ports (const MwCheckContext *context,
                    MwCheckResult        *result,
                    GCancellable         *cancellable)
{
  const MwCheckFacts *facts = context->facts;
  const char *host = facts->dest->hostname;
  g_autofree char *probe_text = NULL;
  g_autofree char *port_text = g_strdup_printf ("%d", MIGRATION_PORT_MIN);
  g_autofree char *out = NULL;
  g_autofree char *why_not = NULL;
  MwVantagePoint vantage = { MW_VANTAGE_SOURCE, NULL };
  MwProbeOutcome outcome = MW_PROBE_NOT_RUN;
  guint probe_s = MIN (MAX (context->timeout_s / 3, 1), 5);
  int status = 0;

  if (facts->options->connection == MW_MIGRATION_CONNECTION_TUNNELLED
      || is_test_driver (facts->dest_uri) || host == NULL)
    {
      mw_check_eval_ports (facts, host, MW_PROBE_NOT_RUN, &vantage, NULL, result);
      return;
    }

  /* On the source: bash's /dev/tcp (bash and coreutils' timeout are on every Debian), in the C
   * locale so the messages can be read. Refused or accepted both mean nothing drops the
   * packets; only silence (timeout's 124) means a firewall. */
  probe_text = g_strdup_printf ("%u", probe_s);
  {
    const char *command[] = { "env", "LC_ALL=C", "timeout", probe_text, "bash", "-c",
                              "exec 3<>\"/dev/tcp/$1/$2\"", "probe", host, port_text, NULL };

    vantage.kind = mw_check_ask_source (context, command, cancellable, &out, &status,
                                        &why_not);
    vantage.why_not = why_not;
  }
  if (vantage.kind == MW_VANTAGE_SOURCE)
    {
      if (status == 0 || strstr (out, "refused") != NULL)
        outcome = MW_PROBE_OK;
      else if (status == 124)
        outcome = MW_PROBE_TIMED_OUT;
      else
        outcome = MW_PROBE_FAILED;
    }
  else
    {
      /* This computer is the source, or stands in for it (and says so). */
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) error = NULL;

      g_socket_client_set_timeout (client, probe_s);
      connection = g_socket_client_connect_to_host (client, host, MIGRATION_PORT_MIN,
                                                    cancellable, &error);
      if (connection != NULL || g_error_matches (error, G_IO_ERROR,
                                                 G_IO_ERROR_CONNECTION_REFUSED))
        outcome = MW_PROBE_OK;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        outcome = MW_PROBE_TIMED_OUT;
      else
        outcome = MW_PROBE_FAILED;
      g_clear_pointer (&out, g_free);
      if (error != NULL)
        out = g_strdup (error->message);
    }

  mw_check_eval_ports (facts, host, outcome, &vantage, out, result);
}
