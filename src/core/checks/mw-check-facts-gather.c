/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-facts-gather.c: reading the pre-flight facts from the hosts. Worker threads only:
 * every function here makes blocking libvirt calls and turns libvirt's errors into GErrors in
 * the thread that failed. What the XML says is parsed in mw-check-facts.c.
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-check-facts.h"
#include "mw-libvirt.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)

virConnectPtr
mw_check_open_connection (const char  *uri_text,
                          GError     **error)
{
  g_autofree char *prefix = g_strdup_printf (_("Could not connect to %s"), uri_text);

  return mw_libvirt_open (uri_text, prefix, error);
}

static char *
take_libvirt_string (char *text)
{
  char *copy = g_strdup (text);

  free (text);
  return copy;
}

gboolean
mw_host_facts_gather (MwHostFacts   *facts,
                      virConnectPtr  conn,
                      GError       **error)
{
  g_autofree char *caps = NULL;
  virStoragePoolPtr *pools = NULL;
  virNetworkPtr *networks = NULL;
  virInterfacePtr *interfaces = NULL;
  virDomainPtr *domains = NULL;
  const char *type;
  unsigned long long free_memory;
  unsigned long lib_version = 0;
  int n;

  facts->hostname = take_libvirt_string (virConnectGetHostname (conn));
  /* The remote daemon's libvirt, not this program's. */
  if (virConnectGetLibVersion (conn, &lib_version) == 0)
    facts->lib_version = lib_version;
  else
    virResetLastError ();
  type = virConnectGetType (conn);
  facts->hv_type = g_strdup (type);

  caps = take_libvirt_string (virConnectGetCapabilities (conn));
  if (caps == NULL)
    {
      mw_libvirt_set_error (error, _("Could not read the host’s capabilities"));
      return FALSE;
    }
  if (!mw_host_facts_set_capabilities (facts, caps, error))
    return FALSE;

  free_memory = virNodeGetFreeMemory (conn);
  if (free_memory > 0)
    {
      facts->free_memory = free_memory;
      facts->have_free_memory = TRUE;
    }
  virResetLastError ();

  n = virConnectListAllStoragePools (conn, &pools, 0);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = take_libvirt_string (virStoragePoolGetXMLDesc (pools[i], 0));
      g_autoptr(GVirConfigStoragePool) config = NULL;

      if (xml != NULL)
        config = gvir_config_storage_pool_new_from_xml (xml, NULL);
      if (config != NULL)
        {
          GVirConfigStoragePoolTarget *target = gvir_config_storage_pool_get_target (config);
          GEnumClass *klass = g_type_class_ref (GVIR_CONFIG_TYPE_STORAGE_POOL_TYPE);
          GEnumValue *value =
            g_enum_get_value (klass, gvir_config_storage_pool_get_pool_type (config));

          mw_host_facts_add_pool (facts, gvir_config_storage_pool_get_name (config),
                                  value != NULL ? value->value_nick : NULL,
                                  target != NULL ? gvir_config_storage_pool_target_get_path (target)
                                                 : NULL,
                                  virStoragePoolIsActive (pools[i]) == 1);
          g_type_class_unref (klass);
          g_clear_object (&target);
        }
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  virResetLastError ();

  n = virConnectListAllNetworks (conn, &networks, 0);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *bridge = take_libvirt_string (virNetworkGetBridgeName (networks[i]));

      mw_host_facts_add_network (facts, virNetworkGetName (networks[i]), bridge,
                                 virNetworkIsActive (networks[i]) == 1);
      virNetworkFree (networks[i]);
    }
  free (networks);
  virResetLastError ();

  n = virConnectListAllInterfaces (conn, &interfaces, 0);
  for (int i = 0; i < n; i++)
    {
      mw_host_facts_add_interface (facts, virInterfaceGetName (interfaces[i]),
                                   virInterfaceIsActive (interfaces[i]) == 1);
      virInterfaceFree (interfaces[i]);
    }
  if (n >= 0)
    facts->have_interfaces = TRUE;
  free (interfaces);
  virResetLastError ();

  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    {
      mw_libvirt_set_error (error, _("Could not list the host’s domains"));
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      char uuid[VIR_UUID_STRING_BUFLEN] = "";

      if (virDomainGetUUIDString (domains[i], uuid) < 0)
        virResetLastError ();
      mw_host_facts_add_domain (facts, virDomainGetName (domains[i]), uuid);
      virDomainFree (domains[i]);
    }
  free (domains);

  return TRUE;
}

MwDomainFacts *
mw_domain_facts_gather (virConnectPtr   conn,
                        const char     *domain,
                        GError        **error)
{
  g_autofree char *prefix = g_strdup_printf (_("No domain “%s” on the source host"), domain);
  virDomainPtr handle = mw_libvirt_lookup_domain (conn, domain, prefix, error);
  g_autofree char *xml = NULL;
  g_autofree char *inactive_xml = NULL;
  g_autoptr(MwDomainFacts) facts = NULL;
  int persistent, active, autostart = 0;
  unsigned long speed = 0;

  if (handle == NULL)
    return NULL;

  xml = take_libvirt_string (virDomainGetXMLDesc (handle, 0));
  persistent = virDomainIsPersistent (handle);
  active = virDomainIsActive (handle);
  if (xml == NULL || persistent < 0 || active < 0)
    {
      mw_libvirt_set_error (error, _("Could not read the domain’s definition"));
      virDomainFree (handle);
      return NULL;
    }
  if (persistent == 1)
    {
      inactive_xml = take_libvirt_string (virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE));
      if (virDomainGetAutostart (handle, &autostart) < 0)
        autostart = 0;
    }
  /* Not every driver says (the test driver does not). */
  if (virDomainMigrateGetMaxSpeed (handle, &speed, 0) < 0)
    speed = 0;
  virResetLastError ();
  virDomainFree (handle);

  facts = mw_domain_facts_new_from_xml (xml, error);
  if (facts == NULL)
    return NULL;
  facts->active = active == 1;
  facts->persistent = persistent == 1;
  facts->autostart = autostart != 0;
  facts->migrate_speed_mib_s = speed;
  facts->inactive_xml = g_steal_pointer (&inactive_xml);

  return g_steal_pointer (&facts);
}
