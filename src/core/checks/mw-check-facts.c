/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-facts.c: the pre-flight facts: plain structs, the lookups the checks make, and
 * parsing domain and capabilities XML. Reading them from the hosts is in
 * mw-check-facts-gather.c.
 *
 * Domain and capabilities XML are parsed with libvirt-gconfig (name, UUID, memory, the <cpu>
 * element, host UUID and CPU). Devices and what libvirt-gconfig 4.0 has no getter for
 * (interface sources, volume disks, which make its device listing fail, USB host devices, NVRAM,
 * TPM, leases, the CPU vendor) are read from the same XML with the small read-only tree of
 * mw-xml-tree.h. Nothing is ever written by hand: the cache fix goes through libvirt-gconfig
 * (mw-check-storage.c).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-check-facts.h"
#include "mw-text.h"
#include "mw-xml-tree.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilities, g_object_unref)

/* Plain structs */

static void
pool_fact_clear (gpointer data)
{
  MwPoolFact *pool = data;

  g_free (pool->name);
  g_free (pool->type);
  g_free (pool->target_path);
}

static void
network_fact_clear (gpointer data)
{
  MwNetworkFact *network = data;

  g_free (network->name);
  g_free (network->bridge);
}

static void
interface_fact_clear (gpointer data)
{
  MwInterfaceFact *interface = data;

  g_free (interface->name);
}

static void
disk_fact_clear (gpointer data)
{
  MwDiskFact *disk = data;

  g_free (disk->target);
  g_free (disk->device);
  g_free (disk->source);
  g_free (disk->pool);
  g_free (disk->volume);
  g_free (disk->cache);
}

static void
nic_fact_clear (gpointer data)
{
  MwNicFact *nic = data;

  g_free (nic->source);
  g_free (nic->mac);
}

MwHostFacts *
mw_host_facts_new (const char *uri)
{
  MwHostFacts *facts = g_atomic_rc_box_new0 (MwHostFacts);

  facts->uri = g_strdup (uri);
  facts->pools = g_array_new (FALSE, TRUE, sizeof (MwPoolFact));
  g_array_set_clear_func (facts->pools, pool_fact_clear);
  facts->networks = g_array_new (FALSE, TRUE, sizeof (MwNetworkFact));
  g_array_set_clear_func (facts->networks, network_fact_clear);
  facts->interfaces = g_array_new (FALSE, TRUE, sizeof (MwInterfaceFact));
  g_array_set_clear_func (facts->interfaces, interface_fact_clear);
  facts->domain_names = g_ptr_array_new_with_free_func (g_free);
  facts->domain_uuids = g_ptr_array_new_with_free_func (g_free);
  facts->cpu_features = g_new0 (char *, 1);

  return facts;
}

MwHostFacts *
mw_host_facts_ref (MwHostFacts *facts)
{
  return g_atomic_rc_box_acquire (facts);
}

static void
host_facts_clear (gpointer data)
{
  MwHostFacts *facts = data;

  g_free (facts->uri);
  g_free (facts->error);
  g_free (facts->hostname);
  g_free (facts->hv_type);
  g_free (facts->host_uuid);
  g_free (facts->arch);
  g_free (facts->cpu_vendor);
  g_free (facts->cpu_model);
  g_strfreev (facts->cpu_features);
  g_array_unref (facts->pools);
  g_array_unref (facts->networks);
  g_array_unref (facts->interfaces);
  g_ptr_array_unref (facts->domain_names);
  g_ptr_array_unref (facts->domain_uuids);
}

void
mw_host_facts_free (MwHostFacts *facts)
{
  if (facts == NULL)
    return;
  g_atomic_rc_box_release_full (facts, host_facts_clear);
}

void
mw_host_facts_add_pool (MwHostFacts *facts,
                        const char  *name,
                        const char  *type,
                        const char  *target_path,
                        gboolean     active)
{
  MwPoolFact pool = { g_strdup (name), g_strdup (type), g_strdup (target_path), active };

  g_array_append_val (facts->pools, pool);
}

void
mw_host_facts_add_network (MwHostFacts *facts,
                           const char  *name,
                           const char  *bridge,
                           gboolean     active)
{
  MwNetworkFact network = { g_strdup (name), g_strdup (bridge), active };

  g_array_append_val (facts->networks, network);
}

void
mw_host_facts_add_interface (MwHostFacts *facts,
                             const char  *name,
                             gboolean     active)
{
  MwInterfaceFact interface = { g_strdup (name), active };

  g_array_append_val (facts->interfaces, interface);
  facts->have_interfaces = TRUE;
}

void
mw_host_facts_add_domain (MwHostFacts *facts,
                          const char  *name,
                          const char  *uuid)
{
  g_ptr_array_add (facts->domain_names, g_strdup (name));
  g_ptr_array_add (facts->domain_uuids, g_strdup (uuid));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

gboolean
mw_host_facts_set_capabilities (MwHostFacts  *facts,
                                const char   *caps_xml,
                                GError      **error)
{
  g_autoptr(GVirConfigCapabilities) caps = NULL;
  g_autoptr(MwXmlNode) root = NULL;
  GVirConfigCapabilitiesHost *host;
  GVirConfigCapabilitiesCpu *cpu = NULL;
  g_autoptr(GPtrArray) features = g_ptr_array_new ();
  GList *list;

  /* Our own parser first: libvirt-gconfig 4.0 crashes on an empty answer. */
  root = mw_xml_parse (caps_xml, error);
  if (root == NULL)
    return FALSE;
  caps = gvir_config_capabilities_new_from_xml (caps_xml, error);
  if (caps == NULL)
    {
      mw_text_make_error_valid (error);
      return FALSE;
    }

  host = gvir_config_capabilities_get_host (caps);
  if (host != NULL)
    {
      const char *uuid = gvir_config_capabilities_host_get_uuid (host);

      g_free (facts->host_uuid);
      facts->host_uuid = uuid != NULL && *uuid != '\0' ? g_ascii_strdown (uuid, -1) : NULL;
      cpu = gvir_config_capabilities_host_get_cpu (host);
    }

  if (cpu != NULL)
    {
      GVirConfigCapabilitiesCpuModel *model = gvir_config_capabilities_cpu_get_model (cpu);

      g_free (facts->arch);
      facts->arch = g_strdup (gvir_config_capabilities_cpu_get_arch (cpu));
      if (model != NULL)
        {
          g_free (facts->cpu_model);
          facts->cpu_model = g_strdup (gvir_config_capabilities_cpu_model_get_name (model));
          g_object_unref (model);
        }
      list = gvir_config_capabilities_cpu_get_features (cpu);
      for (GList *l = list; l != NULL; l = l->next)
        {
          const char *name =
            gvir_config_capabilities_cpu_feature_get_name (GVIR_CONFIG_CAPABILITIES_CPU_FEATURE (l->data));

          if (name != NULL)
            g_ptr_array_add (features, g_strdup (name));
        }
      g_list_free_full (list, g_object_unref);
      g_object_unref (cpu);
    }
  g_clear_object (&host);

  g_ptr_array_sort (features, compare_strings);
  g_ptr_array_add (features, NULL);
  g_strfreev (facts->cpu_features);
  facts->cpu_features = (GStrv) g_ptr_array_free (g_steal_pointer (&features), FALSE);

  g_free (facts->cpu_vendor);
  facts->cpu_vendor = mw_xml_text (mw_xml_path (root, "host/cpu/vendor"));
  if (facts->cpu_vendor != NULL && *facts->cpu_vendor == '\0')
    g_clear_pointer (&facts->cpu_vendor, g_free);

  return TRUE;
}

/* Lookups */

/* The pool whose target directory holds path (directly or below). */
const MwPoolFact *
mw_host_facts_find_pool_for_path (const MwHostFacts *facts,
                                  const char        *path)
{
  const MwPoolFact *best = NULL;
  gsize best_len = 0;

  if (path == NULL)
    return NULL;
  for (guint i = 0; i < facts->pools->len; i++)
    {
      const MwPoolFact *pool = &g_array_index (facts->pools, MwPoolFact, i);
      gsize len;

      if (pool->target_path == NULL)
        continue;
      len = strlen (pool->target_path);
      while (len > 1 && pool->target_path[len - 1] == '/')
        len--;
      if (strncmp (path, pool->target_path, len) == 0 && path[len] == '/' && len > best_len)
        {
          best = pool;
          best_len = len;
        }
    }
  return best;
}

const MwPoolFact *
mw_host_facts_find_pool (const MwHostFacts *facts,
                         const char        *name)
{
  for (guint i = 0; name != NULL && i < facts->pools->len; i++)
    if (g_str_equal (g_array_index (facts->pools, MwPoolFact, i).name, name))
      return &g_array_index (facts->pools, MwPoolFact, i);
  return NULL;
}

const MwNetworkFact *
mw_host_facts_find_network (const MwHostFacts *facts,
                            const char        *name)
{
  for (guint i = 0; name != NULL && i < facts->networks->len; i++)
    if (g_str_equal (g_array_index (facts->networks, MwNetworkFact, i).name, name))
      return &g_array_index (facts->networks, MwNetworkFact, i);
  return NULL;
}

const MwNetworkFact *
mw_host_facts_find_network_by_bridge (const MwHostFacts *facts,
                                      const char        *bridge)
{
  for (guint i = 0; bridge != NULL && i < facts->networks->len; i++)
    if (g_strcmp0 (g_array_index (facts->networks, MwNetworkFact, i).bridge, bridge) == 0)
      return &g_array_index (facts->networks, MwNetworkFact, i);
  return NULL;
}

const MwInterfaceFact *
mw_host_facts_find_interface (const MwHostFacts *facts,
                              const char        *name)
{
  for (guint i = 0; name != NULL && i < facts->interfaces->len; i++)
    if (g_str_equal (g_array_index (facts->interfaces, MwInterfaceFact, i).name, name))
      return &g_array_index (facts->interfaces, MwInterfaceFact, i);
  return NULL;
}

gboolean
mw_host_facts_has_domain_name (const MwHostFacts *facts,
                               const char        *name)
{
  for (guint i = 0; name != NULL && i < facts->domain_names->len; i++)
    if (g_str_equal (g_ptr_array_index (facts->domain_names, i), name))
      return TRUE;
  return FALSE;
}

gboolean
mw_host_facts_has_domain_uuid (const MwHostFacts *facts,
                               const char        *uuid)
{
  for (guint i = 0; uuid != NULL && i < facts->domain_uuids->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (facts->domain_uuids, i), uuid) == 0)
      return TRUE;
  return FALSE;
}

/* Domain XML */

static char *
describe_hostdev (MwXmlNode *hostdev)
{
  const char *type = mw_xml_attr (hostdev, "type");
  MwXmlNode *source = mw_xml_child (hostdev, "source");

  if (g_strcmp0 (type, "pci") == 0)
    {
      MwXmlNode *address = mw_xml_child (source, "address");

      return g_strdup_printf ("PCI %s:%s:%s.%s", mw_xml_attr_or (address, "domain", "0"),
                              mw_xml_attr_or (address, "bus", "?"),
                              mw_xml_attr_or (address, "slot", "?"),
                              mw_xml_attr_or (address, "function", "?"));
    }
  if (g_strcmp0 (type, "usb") == 0)
    {
      const char *vendor = mw_xml_attr (mw_xml_child (source, "vendor"), "id");
      const char *product = mw_xml_attr (mw_xml_child (source, "product"), "id");
      MwXmlNode *address = mw_xml_child (source, "address");

      if (vendor != NULL || product != NULL)
        return g_strdup_printf ("USB %s:%s", vendor ? vendor : "?", product ? product : "?");
      return g_strdup_printf ("USB bus %s device %s", mw_xml_attr_or (address, "bus", "?"),
                              mw_xml_attr_or (address, "device", "?"));
    }
  return g_strdup_printf ("%s %s", hostdev->name, type != NULL ? type : "");
}

static MwDiskKind
disk_kind_from_string (const char *type)
{
  if (g_strcmp0 (type, "block") == 0)
    return MW_DISK_BLOCK;
  if (g_strcmp0 (type, "dir") == 0)
    return MW_DISK_DIR;
  if (g_strcmp0 (type, "network") == 0)
    return MW_DISK_NETWORK;
  if (g_strcmp0 (type, "volume") == 0)
    return MW_DISK_VOLUME;
  return MW_DISK_FILE;
}

static void
read_disk (MwXmlNode  *node,
           MwDiskFact *fact)
{
  MwXmlNode *source = mw_xml_child (node, "source");
  const char *cache = mw_xml_attr (mw_xml_child (node, "driver"), "cache");
  const char *path = NULL;

  fact->target = g_strdup (mw_xml_attr (mw_xml_child (node, "target"), "dev"));
  fact->device = g_strdup (mw_xml_attr_or (node, "device", "disk"));
  fact->kind = disk_kind_from_string (mw_xml_attr (node, "type"));
  switch (fact->kind)
    {
    case MW_DISK_NETWORK:
      fact->source = g_strdup_printf ("%s:%s", mw_xml_attr_or (source, "protocol", "network"),
                                      mw_xml_attr_or (source, "name", ""));
      break;
    case MW_DISK_VOLUME:
      fact->pool = g_strdup (mw_xml_attr (source, "pool"));
      fact->volume = g_strdup (mw_xml_attr (source, "volume"));
      /* either may be missing in a broken definition: never a "(null)" in a sentence */
      if (fact->pool != NULL || fact->volume != NULL)
        fact->source = g_strdup_printf ("%s/%s", fact->pool != NULL ? fact->pool : "?",
                                        fact->volume != NULL ? fact->volume : "?");
      break;
    case MW_DISK_BLOCK:
      path = mw_xml_attr (source, "dev");
      break;
    case MW_DISK_DIR:
      path = mw_xml_attr (source, "dir");
      break;
    case MW_DISK_FILE:
    default:
      path = mw_xml_attr (source, "file");
      break;
    }
  if (path != NULL)
    fact->source = g_strdup (path);

  /* Unset means QEMU's default, writeback. */
  fact->cache = cache != NULL && !g_str_equal (cache, "default") ? g_strdup (cache) : NULL;
  fact->readonly = mw_xml_child (node, "readonly") != NULL;
  fact->shareable = mw_xml_child (node, "shareable") != NULL;
}

static void
read_interface (MwXmlNode *node,
                MwNicFact *fact)
{
  MwXmlNode *source = mw_xml_child (node, "source");
  const char *type = mw_xml_attr (node, "type");

  if (g_strcmp0 (type, "bridge") == 0)
    fact->kind = MW_INTERFACE_BRIDGE;
  else if (g_strcmp0 (type, "network") == 0)
    fact->kind = MW_INTERFACE_NETWORK;
  else if (g_strcmp0 (type, "user") == 0)
    fact->kind = MW_INTERFACE_USER;
  else if (g_strcmp0 (type, "direct") == 0)
    fact->kind = MW_INTERFACE_DIRECT;
  else
    fact->kind = MW_INTERFACE_OTHER;

  switch (fact->kind)
    {
    case MW_INTERFACE_BRIDGE:
      fact->source = g_strdup (mw_xml_attr (source, "bridge"));
      break;
    case MW_INTERFACE_NETWORK:
      fact->source = g_strdup (mw_xml_attr (source, "network"));
      break;
    case MW_INTERFACE_DIRECT:
      fact->source = g_strdup (mw_xml_attr (source, "dev"));
      break;
    case MW_INTERFACE_USER:
    case MW_INTERFACE_OTHER:
    default:
      fact->source = g_strdup (type);
      break;
    }
  fact->mac = g_strdup (mw_xml_attr (mw_xml_child (node, "mac"), "address"));
}

static char *
find_cluster_hint (MwXmlNode *root)
{
  static const char *const needles[] = { "pacemaker", "virtualdomain", "crm_resource", "pcs " };
  MwXmlNode *places[] = { mw_xml_child (root, "metadata"), mw_xml_child (root, "description"),
                        mw_xml_child (root, "title") };

  for (guint p = 0; p < G_N_ELEMENTS (places); p++)
    for (guint n = 0; n < G_N_ELEMENTS (needles); n++)
      if (mw_xml_mentions (places[p], needles[n]))
        {
          g_autofree char *word = g_strstrip (g_strdup (needles[n]));

          return g_strdup_printf (_("its <%s> mentions “%s”"), places[p]->name, word);
        }
  return NULL;
}

MwDomainFacts *
mw_domain_facts_new_from_xml (const char  *xml,
                              GError     **error)
{
  g_autoptr(MwDomainFacts) facts = g_new0 (MwDomainFacts, 1);
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(MwXmlNode) root = NULL;
  GVirConfigDomainCpu *cpu;
  MwXmlNode *devices_node;

  g_return_val_if_fail (xml != NULL, NULL);

  facts->disks = g_array_new (FALSE, TRUE, sizeof (MwDiskFact));
  g_array_set_clear_func (facts->disks, disk_fact_clear);
  facts->nics = g_array_new (FALSE, TRUE, sizeof (MwNicFact));
  g_array_set_clear_func (facts->nics, nic_fact_clear);
  facts->hostdevs = g_ptr_array_new_with_free_func (g_free);

  /* Our own parser first: libvirt-gconfig 4.0 crashes on an empty answer. */
  root = mw_xml_parse (xml, error);
  if (root == NULL)
    return NULL;
  config = gvir_config_domain_new_from_xml (xml, error);
  if (config == NULL)
    {
      mw_text_make_error_valid (error);
      return NULL;
    }

  facts->name = g_strdup (gvir_config_domain_get_name (config));
  facts->uuid = g_strdup (gvir_config_domain_get_uuid (config));
  /* Read here, not by libvirt-gconfig: it warns on a unit it does not know (the fuzzer's
   * <memory unit='K;iB'>), and a remote host's answer must not make us warn. */
  facts->max_memory_kib = mw_xml_memory_kib (mw_xml_child (root, "memory"));
  facts->memory_kib = mw_xml_memory_kib (mw_xml_child (root, "currentMemory"));
  if (facts->memory_kib == 0)
    facts->memory_kib = facts->max_memory_kib;
  facts->virt_type = g_strdup (mw_xml_attr (root, "type"));
  facts->arch = g_strdup (mw_xml_attr (mw_xml_path (root, "os/type"), "arch"));

  cpu = gvir_config_domain_get_cpu (config);
  if (cpu != NULL)
    {
      MwXmlNode *cpu_node = mw_xml_child (root, "cpu");
      const char *mode = mw_xml_attr (cpu_node, "mode");

      /* The default mode is custom; a <cpu> without mode or model says only topology. */
      facts->cpu_mode = g_strdup (mode != NULL ? mode : "custom");
      facts->cpu_model = mw_xml_text (mw_xml_child (cpu_node, "model"));
      if (facts->cpu_model != NULL && *facts->cpu_model == '\0')
        g_clear_pointer (&facts->cpu_model, g_free);
      facts->cpu_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (cpu));
      g_object_unref (cpu);
    }

  /* Devices from the XML itself: libvirt-gconfig 4.0 has no type for volume disks (listing
   * the devices of a domain with one raises a critical), nor for USB host devices, TPMs and
   * leases. */
  devices_node = mw_xml_child (root, "devices");
  for (guint i = 0; devices_node != NULL && i < devices_node->children->len; i++)
    {
      MwXmlNode *child = g_ptr_array_index (devices_node->children, i);

      if (g_str_equal (child->name, "disk"))
        {
          MwDiskFact disk = { 0 };

          read_disk (child, &disk);
          g_array_append_val (facts->disks, disk);
        }
      else if (g_str_equal (child->name, "interface"))
        {
          MwNicFact nic = { 0 };

          read_interface (child, &nic);
          g_array_append_val (facts->nics, nic);
        }
      else if (g_str_equal (child->name, "hostdev"))
        g_ptr_array_add (facts->hostdevs, describe_hostdev (child));
      else if (g_str_equal (child->name, "tpm") && facts->tpm_backend == NULL)
        /* the first TPM's backend (a second <tpm> leaked the first one's) */
        facts->tpm_backend = g_strdup (mw_xml_attr (mw_xml_child (child, "backend"), "type"));
      else if (g_str_equal (child->name, "lease"))
        facts->n_leases++;
    }

  facts->nvram = mw_xml_text (mw_xml_path (root, "os/nvram"));
  if (facts->nvram != NULL && *facts->nvram == '\0')
    {
      /* <nvram template='…'/> without a path: libvirt picks one under /var/lib/libvirt. */
      g_free (facts->nvram);
      facts->nvram = facts->name != NULL
                       ? g_strdup_printf ("/var/lib/libvirt/qemu/nvram/%s_VARS.fd", facts->name)
                       : NULL;
    }
  facts->cluster_hint = find_cluster_hint (root);

  /* What the XML alone says; gather () overrides these from the host. */
  facts->active = mw_xml_attr (root, "id") != NULL;
  facts->persistent = TRUE;

  return g_steal_pointer (&facts);
}

void
mw_domain_facts_free (MwDomainFacts *facts)
{
  if (facts == NULL)
    return;

  g_free (facts->name);
  g_free (facts->uuid);
  g_free (facts->virt_type);
  g_free (facts->arch);
  g_free (facts->cpu_mode);
  g_free (facts->cpu_model);
  g_free (facts->cpu_xml);
  g_clear_pointer (&facts->disks, g_array_unref);
  g_clear_pointer (&facts->nics, g_array_unref);
  g_clear_pointer (&facts->hostdevs, g_ptr_array_unref);
  g_free (facts->nvram);
  g_free (facts->tpm_backend);
  g_free (facts->cluster_hint);
  g_free (facts->inactive_xml);
  g_free (facts);
}

/* The bundle */

MwCheckFacts *
mw_check_facts_new (const char               *source_uri,
                    const char               *dest_uri,
                    const char               *domain_name,
                    const MwMigrationOptions *options)
{
  MwCheckFacts *facts = g_atomic_rc_box_new0 (MwCheckFacts);

  facts->source_uri = g_strdup (source_uri);
  facts->dest_uri = g_strdup (dest_uri);
  facts->domain_name = g_strdup (domain_name);
  facts->options = options != NULL ? mw_migration_options_copy (options)
                                   : mw_migration_options_new_defaults ();
  facts->source = mw_host_facts_new (source_uri);
  facts->dest = mw_host_facts_new (dest_uri);

  return facts;
}

MwCheckFacts *
mw_check_facts_ref (MwCheckFacts *facts)
{
  return g_atomic_rc_box_acquire (facts);
}

static void
check_facts_clear (gpointer data)
{
  MwCheckFacts *facts = data;

  g_free (facts->source_uri);
  g_free (facts->dest_uri);
  g_free (facts->domain_name);
  mw_migration_options_free (facts->options);
  mw_host_facts_free (facts->source);
  mw_host_facts_free (facts->dest);
  mw_domain_facts_free (facts->domain);
  g_free (facts->domain_error);
}

void
mw_check_facts_unref (MwCheckFacts *facts)
{
  g_atomic_rc_box_release_full (facts, check_facts_clear);
}
