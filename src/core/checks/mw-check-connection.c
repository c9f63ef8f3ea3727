/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-connection.c: both hosts answer, are two hosts, and can reach each other.
 *
 * What matters for peer-to-peer and for the migration stream is the *source host's* view of
 * the destination, with the source libvirtd's credentials (root's). When the source is reached
 * over ssh, those probes run on the source (`virsh -c DEST`, `getent`, bash's /dev/tcp);
 * otherwise they run on this computer and say so in their detail.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-uri.h"

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
  const char *fix = _("Check the URI, that libvirtd runs there, and that this computer can log "
                      "in without a password prompt (ssh keys or an agent).");

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

void
mw_check_eval_dest_hostname (const MwCheckFacts   *facts,
                             const MwResolveProbe *probes,
                             guint                 n_probes,
                             MwCheckResult        *result)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  const MwResolveProbe *loopback = NULL;
  const MwResolveProbe *failed = NULL;
  guint n_checked = 0;

  for (guint i = 0; i < n_probes; i++)
    {
      const MwResolveProbe *probe = &probes[i];
      const char *where = probe->on_source ? _("on the source") : _("on this computer");

      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      switch (probe->outcome)
        {
        case MW_RESOLVE_REMOTE:
          n_checked++;
          g_string_append_printf (detail, _("“%s” resolves %s to %s."), probe->name, where,
                                  probe->addresses);
          break;
        case MW_RESOLVE_LOOPBACK:
          n_checked++;
          loopback = loopback != NULL ? loopback : probe;
          g_string_append_printf (detail, _("“%s” resolves %s to %s, a loopback address."),
                                  probe->name, where, probe->addresses);
          break;
        case MW_RESOLVE_FAILED:
          n_checked++;
          failed = failed != NULL ? failed : probe;
          g_string_append_printf (detail, _("“%s” does not resolve %s."), probe->name, where);
          break;
        case MW_RESOLVE_NOT_CHECKED:
        default:
          g_string_append_printf (detail, _("“%s” could not be looked up where it matters."),
                                  probe->name);
          break;
        }
    }

  if (loopback != NULL)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("The destination’s name “%s” resolves to localhost (%s): the source "
                           "would send the migration to itself."), loopback->name,
                         loopback->addresses);
      g_autofree char *fix =
        g_strdup_printf (_("Make “%s” resolve to the destination’s real address on the source "
                           "(DNS, or a line in the source’s /etc/hosts; Debian maps a host’s own "
                           "name to 127.0.1.1), or set migration_host in the destination’s "
                           "/etc/libvirt/qemu.conf."), loopback->name);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail->str, fix, NULL);
      return;
    }
  if (failed != NULL)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("The destination’s name “%s” does not resolve: the migration stream "
                           "would have nowhere to go."), failed->name);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail->str,
                           _("Add the name to DNS or to the source’s /etc/hosts, or set "
                             "migration_host in the destination’s /etc/libvirt/qemu.conf."),
                           NULL);
      return;
    }
  if (n_checked == 0)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Nothing to resolve for this destination."),
                           detail->len > 0 ? detail->str : NULL, NULL, NULL);
      return;
    }

  mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                       _("The destination’s name resolves to a real address."), detail->str,
                       NULL, NULL);
}

/* Looks name up on the source (over ssh) when possible, else here. Worker thread. */
static void
resolve_name (const MwCheckContext *context,
              const char           *name,
              gboolean              dest_is_here,
              MwResolveProbe       *probe,
              char                **addresses,
              GCancellable         *cancellable)
{
  const char *command[] = { "getent", "ahosts", name, NULL };
  g_auto(GStrv) argv = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  gboolean any_remote = FALSE;
  gboolean any = FALSE;

  probe->name = name;
  probe->outcome = MW_RESOLVE_NOT_CHECKED;

  if (mw_check_source_ssh_argv (context->facts, command, context->timeout_s, &argv))
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      int status = 0;

      probe->on_source = TRUE;
      if (!mw_check_spawn ((const char * const *) argv, context->timeout_s, cancellable, &out,
                           &status, NULL) || status == -1 || status == 255)
        return;  /* ssh itself failed: nothing learnt */
      if (status != 0)
        {
          probe->outcome = MW_RESOLVE_FAILED;
          return;
        }
      lines = g_strsplit (out, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *address = g_strndup (lines[i], strcspn (lines[i], " \t"));
          g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

          if (inet == NULL || strstr (found->str, address) != NULL)
            continue;
          any = TRUE;
          any_remote |= !g_inet_address_get_is_loopback (inet);
          g_string_append_printf (found, "%s%s", found->len > 0 ? ", " : "", address);
        }
    }
  else
    {
      g_autoptr(GResolver) resolver = NULL;
      GList *list;

      /* A local source resolving the destination's own name on the destination itself says
       * nothing: Debian maps every host's own name to 127.0.1.1. */
      if (dest_is_here)
        return;
      resolver = g_resolver_get_default ();
      list = g_resolver_lookup_by_name (resolver, name, cancellable, NULL);
      if (list == NULL)
        {
          probe->outcome = MW_RESOLVE_FAILED;
          return;
        }
      for (GList *l = list; l != NULL; l = l->next)
        {
          g_autofree char *address = g_inet_address_to_string (l->data);

          any = TRUE;
          any_remote |= !g_inet_address_get_is_loopback (l->data);
          g_string_append_printf (found, "%s%s", found->len > 0 ? ", " : "", address);
        }
      g_resolver_free_addresses (list);
    }

  if (!any)
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
    resolve_name (context, uri_name, FALSE, &probes[n++], &addresses[0], cancellable);
  if (facts->dest->hostname != NULL && g_strcmp0 (facts->dest->hostname, uri_name) != 0)
    resolve_name (context, facts->dest->hostname, uri_name == NULL, &probes[n++], &addresses[1],
                  cancellable);

  mw_check_eval_dest_hostname (facts, probes, n, result);
  g_free (addresses[0]);
  g_free (addresses[1]);
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

    if (mw_check_source_ssh_argv (facts, command, context->timeout_s, &argv))
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

void
mw_check_eval_ports (const MwCheckFacts *facts,
                     const char         *host,
                     MwProbeOutcome      outcome,
                     gboolean            from_source,
                     const char         *output,
                     MwCheckResult      *result)
{
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  if (facts->options->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Not needed: a tunnelled migration goes through the libvirt "
                             "connection."), NULL, NULL, NULL);
      return;
    }
  if (passed_for_test_driver (facts, result))
    return;

  detail = g_strdup_printf (_("QEMU listens on the destination on a port in %d–%d for each "
                              "migration. Tried %s:%d from %s%s%s."), MIGRATION_PORT_MIN,
                            MIGRATION_PORT_MAX, host != NULL ? host : "?", MIGRATION_PORT_MIN,
                            from_source ? _("the source host") : _("this computer"),
                            output != NULL && *output != '\0' ? ": " : "",
                            output != NULL ? output : "");
  fix = g_strdup_printf (_("Open TCP ports %d–%d on the destination’s firewall for the source, "
                           "e.g.\n  firewall-cmd --permanent --add-port=%d-%d/tcp && "
                           "firewall-cmd --reload\nor migrate tunnelled (slower, but only "
                           "needs the libvirt connection)."), MIGRATION_PORT_MIN,
                         MIGRATION_PORT_MAX, MIGRATION_PORT_MIN, MIGRATION_PORT_MAX);

  switch (outcome)
    {
    case MW_PROBE_OK:
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           from_source ? _("The migration ports on the destination are "
                                           "reachable from the source.")
                                       : _("The migration ports on the destination are "
                                           "reachable (tested from this computer)."),
                           detail, NULL, NULL);
      break;
    case MW_PROBE_TIMED_OUT:
      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                           _("A firewall drops connections to the destination’s migration "
                             "ports."), detail, fix, NULL);
      break;
    case MW_PROBE_FAILED:
      mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                           _("The destination’s migration ports could not be tried."), detail,
                           fix, NULL);
      break;
    case MW_PROBE_NOT_RUN:
    default:
      mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                           _("MigWizard cannot try the migration ports from where it runs."),
                           detail, fix, NULL);
      break;
    }
}

void
mw_check_run_ports (const MwCheckContext *context,
                    MwCheckResult        *result,
                    GCancellable         *cancellable)
{
  const MwCheckFacts *facts = context->facts;
  g_autofree char *host = g_strdup (facts->dest->hostname);
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) argv = NULL;
  MwProbeOutcome outcome = MW_PROBE_NOT_RUN;
  gboolean from_source = FALSE;
  guint probe_s = MIN (MAX (context->timeout_s / 3, 1), 5);
  int status = 0;

  if (facts->options->connection == MW_MIGRATION_CONNECTION_TUNNELLED
      || is_test_driver (facts->dest_uri) || host == NULL)
    {
      mw_check_eval_ports (facts, host, MW_PROBE_NOT_RUN, FALSE, NULL, result);
      return;
    }

  /* Refused or accepted both mean nothing drops the packets; only silence means a firewall. */
  script = g_strdup_printf ("timeout %u bash -c 'exec 3<>/dev/tcp/\"$1\"/%d' probe %s "
                            "2>&1; echo \"exit=$?\"", probe_s, MIGRATION_PORT_MIN, host);
  {
    const char *command[] = { "sh", "-c", script, NULL };

    if (g_regex_match_simple ("^[A-Za-z0-9.:_-]+$", host, 0, 0)
        && mw_check_source_ssh_argv (facts, command, context->timeout_s, &argv))
      {
        from_source = TRUE;
        if (mw_check_spawn ((const char * const *) argv, context->timeout_s, cancellable, &out,
                            &status, NULL) && status == 0)
          {
            if (strstr (out, "exit=0") != NULL || strstr (out, "refused") != NULL)
              outcome = MW_PROBE_OK;
            else if (strstr (out, "exit=124") != NULL)
              outcome = MW_PROBE_TIMED_OUT;
            else
              outcome = MW_PROBE_FAILED;
          }
      }
    else
      {
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
        if (error != NULL)
          out = g_strdup (error->message);
      }
  }

  mw_check_eval_ports (facts, host, outcome, from_source, out, result);
}
