/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-domain-address.c: asking a host for its guest's address. Worker thread, own connection. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "mw-domain-address.h"
#include "mw-libvirt.h"
#include "mw-uri.h"
#include "mw-xml-tree.h"

char *
mw_domain_address_from_cmdline (const char *cmdline)
{
  g_auto(GStrv) words = NULL;

  if (cmdline == NULL)
    return NULL;
  words = g_strsplit_set (cmdline, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *client = NULL;
      g_autoptr(GInetAddress) address = NULL;

      if (!g_str_has_prefix (words[i], "ip="))
        continue;
      client = g_strndup (words[i] + 3, strcspn (words[i] + 3, ":"));
      address = g_inet_address_new_from_string (client);
      if (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4
          && !g_inet_address_get_is_any (address))
        return g_steal_pointer (&client);
    }
  return NULL;
}

/* Worker: a directly booted kernel's static address, from the domain's definition. */
static char *
address_from_definition (virDomainPtr dom)
{
  g_autofree char *xml = virDomainGetXMLDesc (dom, 0);
  g_autoptr(MwXmlNode) root = NULL;
  g_autofree char *cmdline = NULL;

  if (xml == NULL)
    {
      virResetLastError ();
      return NULL;
    }
  root = mw_xml_parse (xml, NULL);
  cmdline = mw_xml_text (mw_xml_path (root, "os/cmdline"));
  return mw_domain_address_from_cmdline (cmdline);
}

static void
discover_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  static const unsigned int sources[] = {
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT,
  };
  MwDomainTarget *target = task_data;
  g_autofree char *prefix = g_strdup_printf (_("Could not connect to %s"), target->uri);
  virConnectPtr conn;
  virDomainPtr dom;
  char *found = NULL;
  GError *error = NULL;

  conn = mw_libvirt_open (target->uri, prefix, &error);
  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  dom = mw_libvirt_lookup_domain (conn, target->domain,
                                  _("Could not look the virtual machine up"), &error);
  if (dom == NULL)
    {
      virConnectClose (conn);
      g_task_return_error (task, error);
      return;
    }

  for (guint s = 0; s < G_N_ELEMENTS (sources) && found == NULL; s++)
    {
      virDomainInterfacePtr *ifaces = NULL;
      int n = virDomainInterfaceAddresses (dom, &ifaces, sources[s], 0);

      for (int i = 0; i < n; i++)
        {
          for (unsigned int a = 0; a < ifaces[i]->naddrs && found == NULL; a++)
            if (ifaces[i]->addrs[a].type == VIR_IP_ADDR_TYPE_IPV4
                && ifaces[i]->addrs[a].addr != NULL)
              found = g_strdup (ifaces[i]->addrs[a].addr);
          virDomainInterfaceFree (ifaces[i]);
        }
      free (ifaces);
      virResetLastError ();
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  if (found == NULL && !g_cancellable_is_cancelled (cancellable))
    found = address_from_definition (dom);
  virDomainFree (dom);
  virConnectClose (conn);

  if (found == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No address of “%s” is known: the host’s DHCP leases, its ARP "
                                 "table, the guest agent and the guest’s kernel command line "
                                 "were asked. Type the guest’s address instead."),
                               target->domain);
      return;
    }
  g_task_return_pointer (task, found, g_free);
}

void
mw_domain_discover_address_async (const char          *uri_text,
                                  const char          *domain_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(MwUri) uri = NULL;

  g_return_if_fail (uri_text != NULL && domain_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_domain_discover_address_async);

  uri = mw_uri_parse (uri_text, NULL);
  if (uri != NULL && uri->hypervisor == MW_HYPERVISOR_TEST)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Guests of libvirt’s test driver are not real machines: "
                                 "there is no address to ping."));
      return;
    }

  g_task_set_task_data (task, mw_domain_target_new (uri_text, NULL, domain_name),
                        mw_domain_target_free);
  g_task_run_in_thread (task, discover_thread);
}

char *
mw_domain_discover_address_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == mw_domain_discover_address_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
