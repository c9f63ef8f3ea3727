/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-bridge-network.c: a libvirt network in bridge mode on an existing host bridge
 * (mw-bridge-setup.h), built with libvirt-gconfig and set up as a journaled libvirt object
 * (mw-setup-object.h).
 *
 * Threads: the network XML is pure; defining it blocks and runs in a worker. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/tree.h>

#include "mw-bridge-setup-private.h"
#include "mw-setup-host.h"
#include "mw-setup-object.h"
#include "mw-setup-task.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigNetwork, g_object_unref)

GVirConfigNetwork *
mw_bridge_build_network_config (const char  *name,
                                const char  *bridge,
                                GError     **error)
{
  xmlDocPtr doc;
  xmlNodePtr root;
  xmlNodePtr node;
  xmlChar *text = NULL;
  int size = 0;
  GVirConfigNetwork *network;

  if (!mw_bridge_is_ifname (bridge))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a valid bridge name."), bridge != NULL ? bridge : "");
      return NULL;
    }
  if (name == NULL || *name == '\0' || strpbrk (name, "/ \t\n") != NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a valid network name."), name != NULL ? name : "");
      return NULL;
    }

  /* GVirConfigNetwork 4.0 offers no setters: the document is built as a libxml2 tree (values
   * escaped by libxml2, never pasted into markup) and then parsed and validated by
   * libvirt-gconfig. */
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  root = xmlNewNode (NULL, (const xmlChar *) "network");
  xmlDocSetRootElement (doc, root);
  xmlNewTextChild (root, NULL, (const xmlChar *) "name", (const xmlChar *) name);
  node = xmlNewChild (root, NULL, (const xmlChar *) "forward", NULL);
  xmlNewProp (node, (const xmlChar *) "mode", (const xmlChar *) "bridge");
  node = xmlNewChild (root, NULL, (const xmlChar *) "bridge", NULL);
  xmlNewProp (node, (const xmlChar *) "name", (const xmlChar *) bridge);
  xmlDocDumpMemory (doc, &text, &size);
  xmlFreeDoc (doc);

  network = gvir_config_network_new_from_xml ((const char *) text, error);
  xmlFree (text);
  return network;
}

/* A same-named network is reused only in bridge mode on the same bridge (spec->data). */
static gboolean
network_matches (const MwSetupObjectSpec  *spec,
                 const char               *existing_xml,
                 GError                  **error)
{
  g_autofree char *bridge = mw_setup_xml_find_attribute (existing_xml, "bridge", "name", NULL);
  g_autofree char *mode = mw_setup_xml_find_attribute (existing_xml, "forward", "mode", NULL);

  if (g_strcmp0 (bridge, spec->data) == 0 && g_strcmp0 (mode, "bridge") == 0)
    return TRUE;
  g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT,
               _("a network named “%s” already exists (mode %s, bridge %s); it was left as "
                 "it is"), spec->name, mode != NULL ? mode : "nat",
               bridge != NULL ? bridge : "-");
  return FALSE;
}

gboolean
mw_bridge_define_network (virConnectPtr   conn,
                          const char     *host_label,
                          const char     *name,
                          const char     *bridge,
                          GPtrArray     **steps,
                          GError        **error)
{
  g_autoptr(GVirConfigNetwork) config = NULL;
  g_autoptr(MwSetupJournal) journal = NULL;
  g_autofree char *xml = NULL;
  MwSetupObjectSpec spec = { MW_SETUP_OBJECT_NETWORK, name, NULL, network_matches, NULL, bridge };
  gboolean ok;

  g_return_val_if_fail (conn != NULL && host_label != NULL, FALSE);

  config = mw_bridge_build_network_config (name, bridge, error);
  if (config == NULL)
    return FALSE;
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  spec.xml = xml;

  journal = mw_setup_journal_new (host_label);
  ok = mw_setup_object_apply (journal, conn, &spec, NULL, error);
  if (steps != NULL)
    *steps = mw_setup_journal_dup_steps (journal);
  return ok;
}

typedef struct
{
  char *uri;
  char *name;
  char *bridge;
  GPtrArray *steps;         /* set by the worker */
} DefineNetworkData;

static void
define_network_data_free (gpointer data)
{
  DefineNetworkData *input = data;

  g_free (input->uri);
  g_free (input->name);
  g_free (input->bridge);
  g_clear_pointer (&input->steps, g_ptr_array_unref);
  g_free (input);
}

static gboolean
define_network_call (gpointer       data,
                     gpointer      *result,
                     GCancellable  *cancellable,
                     GError       **error)
{
  DefineNetworkData *input = data;
  g_autofree char *label = mw_setup_host_label (input->uri);
  virConnectPtr conn = mw_setup_host_connect (input->uri, label, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;
  /* steps are read by _finish only after the task completed */
  ok = mw_bridge_define_network (conn, label, input->name, input->bridge, &input->steps, error);
  virConnectClose (conn);
  return ok;
}

void
mw_bridge_define_network_async (const char          *uri,
                                const char          *name,
                                const char          *bridge,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  DefineNetworkData *data = g_new0 (DefineNetworkData, 1);
  g_autoptr(GTask) task = mw_setup_task_new (mw_bridge_define_network_async, data,
                                             define_network_data_free, cancellable, callback,
                                             user_data);

  data->uri = g_strdup (uri);
  data->name = g_strdup (name);
  data->bridge = g_strdup (bridge);
  mw_setup_task_run (task, define_network_call, NULL);
}

GPtrArray *
mw_bridge_define_network_finish (GAsyncResult  *result,
                                 GPtrArray    **steps,
                                 GError       **error)
{
  DefineNetworkData *data;
  gboolean ok;

  g_return_val_if_fail (mw_setup_task_is (result, mw_bridge_define_network_async), NULL);

  data = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (steps != NULL)
    *steps = data->steps != NULL ? g_ptr_array_ref (data->steps) : NULL;
  return ok && data->steps != NULL ? g_ptr_array_ref (data->steps) : NULL;
}
