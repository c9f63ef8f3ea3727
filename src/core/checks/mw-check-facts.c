/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-facts.c: gathering and parsing what the pre-flight checks look at.
 *
 * Domain and capabilities XML are parsed with libvirt-gconfig (name, UUID, memory, the <cpu>
 * element, host UUID and CPU, pools). Devices and what libvirt-gconfig 4.0 has no getter for
 * (interface sources, volume disks, which make its device listing fail, USB host devices, NVRAM,
 * TPM, leases, the CPU vendor) are read from the same XML with a small read-only GMarkup tree
 * below. Nothing is ever written by hand: the cache fix goes through libvirt-gconfig
 * (mw-check-storage.c).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-check-facts.h"
#include "mw-libvirt.h"
#include "mw-uri.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilities, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)

/* A read-only element tree from GMarkup, for the XML libvirt-gconfig has no getters for. */

typedef struct XmlNode XmlNode;

struct XmlNode
{
  char *name;
  GStrv attr_names;
  GStrv attr_values;
  GString *text;
  GPtrArray *children;  /* XmlNode */
  XmlNode *parent;      /* borrowed */
};

static void
xml_node_free (gpointer data)
{
  XmlNode *node = data;

  if (node == NULL)
    return;
  g_free (node->name);
  g_strfreev (node->attr_names);
  g_strfreev (node->attr_values);
  g_string_free (node->text, TRUE);
  g_ptr_array_unref (node->children);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XmlNode, xml_node_free)

static XmlNode *
xml_node_new (const char *name,
              XmlNode    *parent)
{
  XmlNode *node = g_new0 (XmlNode, 1);

  node->name = g_strdup (name);
  node->text = g_string_new (NULL);
  node->children = g_ptr_array_new_with_free_func (xml_node_free);
  node->parent = parent;
  return node;
}

static void
on_xml_start_cb (GMarkupParseContext  *context,
                 const char           *element_name,
                 const char          **attribute_names,
                 const char          **attribute_values,
                 gpointer              user_data,
                 GError              **error)
{
  XmlNode **current = user_data;
  XmlNode *node = xml_node_new (element_name, *current);

  node->attr_names = g_strdupv ((char **) attribute_names);
  node->attr_values = g_strdupv ((char **) attribute_values);
  g_ptr_array_add ((*current)->children, node);
  *current = node;
}

static void
on_xml_end_cb (GMarkupParseContext  *context,
               const char           *element_name,
               gpointer              user_data,
               GError              **error)
{
  XmlNode **current = user_data;

  *current = (*current)->parent;
}

static void
on_xml_text_cb (GMarkupParseContext  *context,
                const char           *text,
                gsize                 text_len,
                gpointer              user_data,
                GError              **error)
{
  XmlNode **current = user_data;

  g_string_append_len ((*current)->text, text, text_len);
}

/* The document's root element, or NULL with an error. */
static XmlNode *
xml_parse (const char  *xml,
           GError     **error)
{
  static const GMarkupParser parser = { on_xml_start_cb, on_xml_end_cb, on_xml_text_cb, NULL,
                                        NULL };
  g_autoptr(XmlNode) document = xml_node_new ("", NULL);
  XmlNode *current = document;
  GMarkupParseContext *context;
  gboolean ok;

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &current, NULL);
  ok = g_markup_parse_context_parse (context, xml, -1, error)
       && g_markup_parse_context_end_parse (context, error);
  g_markup_parse_context_free (context);
  if (!ok)
    return NULL;
  if (document->children->len != 1)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, "No root element");
      return NULL;
    }

  return g_ptr_array_steal_index (document->children, 0);
}

static XmlNode *
xml_child (XmlNode    *node,
           const char *name)
{
  if (node == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      XmlNode *child = g_ptr_array_index (node->children, i);

      if (g_str_equal (child->name, name))
        return child;
    }
  return NULL;
}

/* "os/nvram": the first match at each step. */
static XmlNode *
xml_path (XmlNode    *node,
          const char *path)
{
  g_auto(GStrv) steps = g_strsplit (path, "/", -1);

  for (guint i = 0; steps[i] != NULL && node != NULL; i++)
    node = xml_child (node, steps[i]);
  return node;
}

static const char *
xml_attr (XmlNode    *node,
          const char *name)
{
  if (node == NULL || node->attr_names == NULL)
    return NULL;
  for (guint i = 0; node->attr_names[i] != NULL; i++)
    if (g_str_equal (node->attr_names[i], name))
      return node->attr_values[i];
  return NULL;
}

static char *
xml_text (XmlNode *node)
{
  if (node == NULL)
    return NULL;
  return g_strstrip (g_strdup (node->text->str));
}

/* Whether any element or attribute under node names the needle (case-insensitive). */
static gboolean
xml_mentions (XmlNode    *node,
              const char *needle)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return FALSE;
  text = g_ascii_strdown (node->name, -1);
  if (strstr (text, needle) != NULL)
    return TRUE;
  g_free (text);
  text = g_ascii_strdown (node->text->str, -1);
  if (strstr (text, needle) != NULL)
    return TRUE;
  for (guint i = 0; node->attr_values != NULL && node->attr_values[i] != NULL; i++)
    {
      g_autofree char *value = g_ascii_strdown (node->attr_values[i], -1);

      if (strstr (value, needle) != NULL)
        return TRUE;
    }
  for (guint i = 0; i < node->children->len; i++)
    if (xml_mentions (g_ptr_array_index (node->children, i), needle))
      return TRUE;
  return FALSE;
}

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
  MwHostFacts *facts = g_new0 (MwHostFacts, 1);

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

void
mw_host_facts_free (MwHostFacts *facts)
{
  if (facts == NULL)
    return;

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
  g_free (facts);
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
  g_autoptr(XmlNode) root = NULL;
  GVirConfigCapabilitiesHost *host;
  GVirConfigCapabilitiesCpu *cpu = NULL;
  g_autoptr(GPtrArray) features = g_ptr_array_new ();
  GList *list;

  caps = gvir_config_capabilities_new_from_xml (caps_xml, error);
  if (caps == NULL)
    return FALSE;
  root = xml_parse (caps_xml, error);
  if (root == NULL)
    return FALSE;

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
  facts->cpu_vendor = xml_text (xml_path (root, "host/cpu/vendor"));
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
describe_hostdev (XmlNode *hostdev)
{
  const char *type = xml_attr (hostdev, "type");
  XmlNode *source = xml_child (hostdev, "source");

  if (g_strcmp0 (type, "pci") == 0)
    {
      XmlNode *address = xml_child (source, "address");

      return g_strdup_printf ("PCI %s:%s:%s.%s",
                              xml_attr (address, "domain") ? xml_attr (address, "domain") : "0",
                              xml_attr (address, "bus") ? xml_attr (address, "bus") : "?",
                              xml_attr (address, "slot") ? xml_attr (address, "slot") : "?",
                              xml_attr (address, "function") ? xml_attr (address, "function")
                                                             : "?");
    }
  if (g_strcmp0 (type, "usb") == 0)
    {
      const char *vendor = xml_attr (xml_child (source, "vendor"), "id");
      const char *product = xml_attr (xml_child (source, "product"), "id");
      XmlNode *address = xml_child (source, "address");

      if (vendor != NULL || product != NULL)
        return g_strdup_printf ("USB %s:%s", vendor ? vendor : "?", product ? product : "?");
      return g_strdup_printf ("USB bus %s device %s", xml_attr (address, "bus"),
                              xml_attr (address, "device"));
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
read_disk (XmlNode    *node,
           MwDiskFact *fact)
{
  XmlNode *source = xml_child (node, "source");
  const char *cache = xml_attr (xml_child (node, "driver"), "cache");
  const char *path = NULL;

  fact->target = g_strdup (xml_attr (xml_child (node, "target"), "dev"));
  fact->device = g_strdup (xml_attr (node, "device") ? xml_attr (node, "device") : "disk");
  fact->kind = disk_kind_from_string (xml_attr (node, "type"));
  switch (fact->kind)
    {
    case MW_DISK_NETWORK:
      fact->source = g_strdup_printf ("%s:%s",
                                      xml_attr (source, "protocol") ? xml_attr (source, "protocol")
                                                                    : "network",
                                      xml_attr (source, "name") ? xml_attr (source, "name") : "");
      break;
    case MW_DISK_VOLUME:
      fact->pool = g_strdup (xml_attr (source, "pool"));
      fact->volume = g_strdup (xml_attr (source, "volume"));
      if (fact->pool != NULL || fact->volume != NULL)
        fact->source = g_strdup_printf ("%s/%s", fact->pool, fact->volume);
      break;
    case MW_DISK_BLOCK:
      path = xml_attr (source, "dev");
      break;
    case MW_DISK_DIR:
      path = xml_attr (source, "dir");
      break;
    case MW_DISK_FILE:
    default:
      path = xml_attr (source, "file");
      break;
    }
  if (path != NULL)
    fact->source = g_strdup (path);

  /* Unset means QEMU's default, writeback. */
  fact->cache = cache != NULL && !g_str_equal (cache, "default") ? g_strdup (cache) : NULL;
  fact->readonly = xml_child (node, "readonly") != NULL;
  fact->shareable = xml_child (node, "shareable") != NULL;
}

static void
read_interface (XmlNode   *node,
                MwNicFact *fact)
{
  XmlNode *source = xml_child (node, "source");
  const char *type = xml_attr (node, "type");

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
      fact->source = g_strdup (xml_attr (source, "bridge"));
      break;
    case MW_INTERFACE_NETWORK:
      fact->source = g_strdup (xml_attr (source, "network"));
      break;
    case MW_INTERFACE_DIRECT:
      fact->source = g_strdup (xml_attr (source, "dev"));
      break;
    case MW_INTERFACE_USER:
    case MW_INTERFACE_OTHER:
    default:
      fact->source = g_strdup (type);
      break;
    }
  fact->mac = g_strdup (xml_attr (xml_child (node, "mac"), "address"));
}

static char *
find_cluster_hint (XmlNode *root)
{
  static const char *const needles[] = { "pacemaker", "virtualdomain", "crm_resource", "pcs " };
  XmlNode *places[] = { xml_child (root, "metadata"), xml_child (root, "description"),
                        xml_child (root, "title") };

  for (guint p = 0; p < G_N_ELEMENTS (places); p++)
    for (guint n = 0; n < G_N_ELEMENTS (needles); n++)
      if (xml_mentions (places[p], needles[n]))
        return g_strdup_printf (_("its <%s> mentions “%s”"), places[p]->name,
                                g_strstrip (g_strdup (needles[n])));
  return NULL;
}

MwDomainFacts *
mw_domain_facts_new_from_xml (const char  *xml,
                              GError     **error)
{
  g_autoptr(MwDomainFacts) facts = g_new0 (MwDomainFacts, 1);
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(XmlNode) root = NULL;
  GVirConfigDomainCpu *cpu;
  XmlNode *devices_node;

  g_return_val_if_fail (xml != NULL, NULL);

  facts->disks = g_array_new (FALSE, TRUE, sizeof (MwDiskFact));
  g_array_set_clear_func (facts->disks, disk_fact_clear);
  facts->nics = g_array_new (FALSE, TRUE, sizeof (MwNicFact));
  g_array_set_clear_func (facts->nics, nic_fact_clear);
  facts->hostdevs = g_ptr_array_new_with_free_func (g_free);

  config = gvir_config_domain_new_from_xml (xml, error);
  if (config == NULL)
    return NULL;
  root = xml_parse (xml, error);
  if (root == NULL)
    return NULL;

  facts->name = g_strdup (gvir_config_domain_get_name (config));
  facts->uuid = g_strdup (gvir_config_domain_get_uuid (config));
  facts->max_memory_kib = gvir_config_domain_get_memory (config);
  facts->memory_kib = gvir_config_domain_get_current_memory (config);
  if (facts->memory_kib == 0)
    facts->memory_kib = facts->max_memory_kib;
  facts->virt_type = g_strdup (xml_attr (root, "type"));
  facts->arch = g_strdup (xml_attr (xml_path (root, "os/type"), "arch"));

  cpu = gvir_config_domain_get_cpu (config);
  if (cpu != NULL)
    {
      XmlNode *cpu_node = xml_child (root, "cpu");
      const char *mode = xml_attr (cpu_node, "mode");

      /* The default mode is custom; a <cpu> without mode or model says only topology. */
      facts->cpu_mode = g_strdup (mode != NULL ? mode : "custom");
      facts->cpu_model = xml_text (xml_child (cpu_node, "model"));
      if (facts->cpu_model != NULL && *facts->cpu_model == '\0')
        g_clear_pointer (&facts->cpu_model, g_free);
      facts->cpu_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (cpu));
      g_object_unref (cpu);
    }

  /* Devices from the XML itself: libvirt-gconfig 4.0 has no type for volume disks (listing
   * the devices of a domain with one raises a critical), nor for USB host devices, TPMs and
   * leases. */
  devices_node = xml_child (root, "devices");
  for (guint i = 0; devices_node != NULL && i < devices_node->children->len; i++)
    {
      XmlNode *child = g_ptr_array_index (devices_node->children, i);

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
      else if (g_str_equal (child->name, "tpm"))
        facts->tpm_backend = g_strdup (xml_attr (xml_child (child, "backend"), "type"));
      else if (g_str_equal (child->name, "lease"))
        facts->n_leases++;
    }

  facts->nvram = xml_text (xml_path (root, "os/nvram"));
  if (facts->nvram != NULL && *facts->nvram == '\0')
    {
      /* <nvram template='…'/> without a path: libvirt picks one under /var/lib/libvirt. */
      g_free (facts->nvram);
      facts->nvram = g_strdup_printf ("/var/lib/libvirt/qemu/nvram/%s_VARS.fd", facts->name);
    }
  facts->cluster_hint = find_cluster_hint (root);

  /* What the XML alone says; gather () overrides these from the host. */
  facts->active = xml_attr (root, "id") != NULL;
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

/* Gathering: worker threads only. */

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
  virResetLastError ();
  virDomainFree (handle);

  facts = mw_domain_facts_new_from_xml (xml, error);
  if (facts == NULL)
    return NULL;
  facts->active = active == 1;
  facts->persistent = persistent == 1;
  facts->autostart = autostart != 0;
  facts->inactive_xml = g_steal_pointer (&inactive_xml);

  return g_steal_pointer (&facts);
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
