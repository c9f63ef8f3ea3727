/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-network.c: every interface's bridge or libvirt network exists on the destination
 * under the same name, and is active. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-shell.h"

typedef enum
{
  NIC_OK,
  NIC_UNKNOWN,    /* the destination cannot list its interfaces */
  NIC_INACTIVE,
  NIC_MISSING,
} NicOutcome;

static NicOutcome
check_nic (const MwHostFacts *dest,
           const MwNicFact   *nic)
{
  const MwNetworkFact *network;
  const MwInterfaceFact *interface;

  switch (nic->kind)
    {
    case MW_INTERFACE_NETWORK:
      network = mw_host_facts_find_network (dest, nic->source);
      if (network == NULL)
        return NIC_MISSING;
      return network->active ? NIC_OK : NIC_INACTIVE;

    case MW_INTERFACE_BRIDGE:
    case MW_INTERFACE_DIRECT:
      interface = mw_host_facts_find_interface (dest, nic->source);
      if (interface != NULL)
        return interface->active ? NIC_OK : NIC_INACTIVE;
      /* A libvirt network in bridge mode names the host bridge it uses. */
      network = mw_host_facts_find_network_by_bridge (dest, nic->source);
      if (network != NULL)
        return network->active ? NIC_OK : NIC_INACTIVE;
      return dest->have_interfaces ? NIC_MISSING : NIC_UNKNOWN;

    case MW_INTERFACE_USER:
    case MW_INTERFACE_OTHER:
    default:
      return NIC_OK;
    }
}

void
mw_check_eval_network (const MwCheckFacts *facts,
                       MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  g_autoptr(GString) sentence = g_string_new (NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) fix = g_string_new (NULL);
  MwCheckState state = MW_CHECK_STATE_PASSED;
  /* The command lines quote the URIs and names (mw_shell_quote) so they can be pasted. */
  g_autofree char *source_uri = mw_shell_quote (facts->source_uri);
  g_autofree char *dest_uri = mw_shell_quote (facts->dest_uri);

  for (guint i = 0; i < domain->nics->len; i++)
    {
      const MwNicFact *nic = &g_array_index (domain->nics, MwNicFact, i);
      gboolean is_network = nic->kind == MW_INTERFACE_NETWORK;
      const char *kind = is_network ? _("network") : _("bridge");
      g_autofree char *source = mw_shell_quote (nic->source != NULL ? nic->source : "");

      if (detail->len > 0)
        g_string_append_c (detail, '\n');

      switch (check_nic (facts->dest, nic))
        {
        case NIC_OK:
          g_string_append_printf (detail, _("%s: %s “%s”, present and active on the "
                                            "destination."), nic->mac ? nic->mac : "?",
                                  nic->kind == MW_INTERFACE_USER ? _("user networking") : kind,
                                  nic->source ? nic->source : "");
          break;

        case NIC_UNKNOWN:
          state = MAX (state, MW_CHECK_STATE_WARNING);
          g_string_append_printf (detail, _("%s: bridge “%s”; the destination does not list its "
                                            "host interfaces, so it could not be checked."),
                                  nic->mac ? nic->mac : "?", nic->source);
          g_string_append_printf (sentence, _("Bridge “%s” could not be checked on the "
                                              "destination. "), nic->source);
          g_string_append_printf (fix, _("Check on the destination: ip link show %s\n"),
                                  source);
          break;

        case NIC_INACTIVE:
          state = MW_CHECK_STATE_BLOCKING;
          g_string_append_printf (detail, _("%s: %s “%s” exists on the destination but is not "
                                            "active."), nic->mac ? nic->mac : "?", kind,
                                  nic->source);
          g_string_append_printf (sentence, _("The %s “%s” is not active on the destination. "),
                                  kind, nic->source);
          if (is_network)
            g_string_append_printf (fix, _("Start it: virsh -c %s net-start %s (and "
                                           "net-autostart %s)\n"), dest_uri, source,
                                    source);
          else
            g_string_append_printf (fix, _("Bring it up on the destination: ip link set %s up\n"),
                                    source);
          break;

        case NIC_MISSING:
        default:
          state = MW_CHECK_STATE_BLOCKING;
          g_string_append_printf (detail, _("%s: %s “%s” does not exist on the destination."),
                                  nic->mac ? nic->mac : "?", kind, nic->source);
          g_string_append_printf (sentence, _("The %s “%s” does not exist on the destination. "),
                                  kind, nic->source);
          if (is_network)
            g_string_append_printf (fix, _("Create network “%s” on the destination (copy it: "
                                           "virsh -c %s net-dumpxml %s > net.xml; virsh -c %s "
                                           "net-define net.xml; virsh -c %s net-start %s), "),
                                    nic->source, source_uri, source, dest_uri, dest_uri,
                                    source);
          else
            g_string_append_printf (fix, _("Create bridge “%s” on the destination (main menu → "
                                           "Set Up Hosts… → Network, or your distribution’s "
                                           "network tools), "), nic->source);
          g_string_append (fix, _("or map the interface to one that exists there: migrate with "
                                  "a destination XML naming it (virsh migrate --xml).\n"));
          break;
        }
    }

  g_strchomp (sentence->str);
  g_strchomp (fix->str);
  if (domain->nics->len == 0)
    mw_check_result_set (result, MW_CHECK_STATE_PASSED, _("The guest has no network interface."),
                         NULL, NULL, NULL);
  else if (state == MW_CHECK_STATE_PASSED)
    mw_check_result_set (result, state,
                         _("Every network the guest uses exists on the destination and is "
                           "active."), detail->str, NULL, NULL);
  else
    mw_check_result_set (result, state, sentence->str, detail->str, fix->str, NULL);
}
