/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-bridge-survey.c: which bridges and libvirt networks two hosts have, and which of them a
 * domain's interfaces use (mw-bridge-setup.h, "Listing").
 *
 * Threads: everything that takes a URI blocks and runs in a worker; the survey's `_async` copies
 * its input into the task. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libvirt/virterror.h>

#include "mw-bridge-setup.h"
#include "mw-check-facts.h"
#include "mw-setup-host.h"
#include "mw-setup-object.h"
#include "mw-setup-task.h"
#include "mw-ssh.h"
#include "mw-uri.h"


static void
network_info_free (gpointer data)
{
  MwNetworkInfo *info = data;

  g_free (info->name);
  g_free (info->bridge);
  g_free (info->forward_mode);
  g_free (info);
}

void
mw_host_networks_free (MwHostNetworks *self)
{
  if (self == NULL)
    return;
  g_free (self->uri);
  g_free (self->label);
  g_strfreev (self->bridges);
  g_free (self->bridges_from);
  g_clear_pointer (&self->networks, g_ptr_array_unref);
  g_free (self->error);
  g_free (self);
}

gboolean
mw_host_networks_has_bridge (const MwHostNetworks *self,
                             const char           *bridge)
{
  return self->bridges != NULL && bridge != NULL
         && g_strv_contains ((const char * const *) self->bridges, bridge);
}

const MwNetworkInfo *
mw_host_networks_find_network (const MwHostNetworks *self,
                               const char           *name)
{
  for (guint i = 0; self->networks != NULL && i < self->networks->len; i++)
    {
      const MwNetworkInfo *info = g_ptr_array_index (self->networks, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }
  return NULL;
}

gboolean
mw_host_networks_provides (const MwHostNetworks *self,
                           const MwDomainNic    *nic)
{
  if (nic->is_network)
    return mw_host_networks_find_network (self, nic->source) != NULL;
  if (mw_host_networks_has_bridge (self, nic->source))
    return TRUE;
  /* a libvirt network names the bridge too */
  for (guint i = 0; self->networks != NULL && i < self->networks->len; i++)
    {
      const MwNetworkInfo *info = g_ptr_array_index (self->networks, i);

      if (g_strcmp0 (info->bridge, nic->source) == 0)
        return TRUE;
    }
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
mw_bridge_parse_ip_json (const char  *json,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                   _("ip printed no list of links"));
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *link = json_array_get_object_element (array, i);

      if (link != NULL && json_object_has_member (link, "ifname"))
        g_ptr_array_add (names, g_strdup (json_object_get_string_member (link, "ifname")));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

char *
mw_bridge_parse_master (const char  *json,
                        char       **kind,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *link;
  JsonObject *info;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root)
      || json_array_get_length (json_node_get_array (root)) != 1
      || (link = json_array_get_object_element (json_node_get_array (root), 0)) == NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                   _("ip printed no interface"));
      return NULL;
    }
  if (!json_object_has_member (link, "master"))
    return NULL;
  info = json_object_has_member (link, "linkinfo")
           ? json_object_get_object_member (link, "linkinfo") : NULL;
  if (kind != NULL)
    *kind = g_strdup (info != NULL && json_object_has_member (info, "info_slave_kind")
                        ? json_object_get_string_member (info, "info_slave_kind") : NULL);
  return g_strdup (json_object_get_string_member (link, "master"));
}

static gboolean
is_bridge (virInterfacePtr iface)
{
  char *xml = virInterfaceGetXMLDesc (iface, 0);
  g_autofree char *type = mw_setup_xml_find_attribute (xml, "interface", "type", NULL);

  free (xml);
  return g_strcmp0 (type, "bridge") == 0;
}

static MwNetworkInfo *
network_info_new (virNetworkPtr network)
{
  MwNetworkInfo *info = g_new0 (MwNetworkInfo, 1);
  char *xml = virNetworkGetXMLDesc (network, 0);
  gboolean has_forward = FALSE;
  g_autofree char *unused = mw_setup_xml_find_attribute (xml, "forward", "dev", &has_forward);

  info->name = g_strdup (virNetworkGetName (network));
  info->active = virNetworkIsActive (network) == 1;
  info->bridge = mw_setup_xml_find_attribute (xml, "bridge", "name", NULL);
  info->forward_mode = mw_setup_xml_find_attribute (xml, "forward", "mode", NULL);
  /* <forward/> without a mode means NAT */
  if (has_forward && info->forward_mode == NULL)
    info->forward_mode = g_strdup ("nat");
  free (xml);
  return info;
}

/* The host's bridges (FALSE when libvirt's interface driver lists none: then ssh has to say)
 * and its libvirt networks. */
static gboolean
gather_from_libvirt (virConnectPtr   conn,
                     GPtrArray      *bridges,
                     GPtrArray      *networks)
{
  virInterfacePtr *interfaces = NULL;
  virNetworkPtr *list = NULL;
  int n_interfaces = virConnectListAllInterfaces (conn, &interfaces, 0);
  int n_networks = virConnectListAllNetworks (conn, &list, 0);

  /* A count below 0 lists nothing; libvirt's error is dropped below. */
  for (int i = 0; i < n_interfaces; i++)
    {
      if (is_bridge (interfaces[i]))
        g_ptr_array_add (bridges, g_strdup (virInterfaceGetName (interfaces[i])));
      virInterfaceFree (interfaces[i]);
    }
  for (int i = 0; i < n_networks; i++)
    {
      g_ptr_array_add (networks, network_info_new (list[i]));
      virNetworkFree (list[i]);
    }
  free (interfaces);
  free (list);
  virResetLastError ();
  return n_interfaces > 0;
}

MwHostNetworks *
mw_host_networks_gather (const char   *uri,
                         const char   *ssh_target,
                         GCancellable *cancellable)
{
  MwHostNetworks *self = g_new0 (MwHostNetworks, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;

  self->uri = g_strdup (uri);
  self->label = mw_setup_host_label (uri);
  self->networks = g_ptr_array_new_with_free_func (network_info_free);

  conn = mw_setup_host_connect (uri, self->label, &error);
  if (conn == NULL)
    {
      self->error = g_strdup (error->message);
      self->bridges = g_new0 (char *, 1);
      return self;
    }
  if (gather_from_libvirt (conn, names, self->networks))
    self->bridges_from = g_strdup ("libvirt");
  virConnectClose (conn);

  if (self->bridges_from == NULL && ssh_target != NULL)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) parsed = NULL;

      if (mw_setup_ssh_run (ssh_target, "ip -j link show type bridge", cancellable, &out, &error)
          && (parsed = mw_bridge_parse_ip_json (out, &error)) != NULL)
        {
          for (guint i = 0; parsed[i] != NULL; i++)
            g_ptr_array_add (names, g_strdup (parsed[i]));
          self->bridges_from = g_strdup ("ssh");
        }
      else
        {
          g_autoptr(GError) failure = NULL;

          mw_setup_set_error (&failure, MW_SETUP_ERROR_FAILED, self->label,
                              _("list the bridges over ssh"), error->message);
          self->error = g_strdup (failure->message);
        }
    }

  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  self->bridges = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  return self;
}

void
mw_domain_nic_free (MwDomainNic *nic)
{
  if (nic == NULL)
    return;
  g_free (nic->mac);
  g_free (nic->source);
  g_free (nic);
}

GPtrArray *
mw_domain_nics_gather (const char  *uri,
                       const char  *domain,
                       GError     **error)
{
  g_autoptr(MwDomainFacts) facts = NULL;
  GPtrArray *nics;
  virConnectPtr conn;

  conn = mw_check_open_connection (uri, error);
  if (conn == NULL)
    return NULL;
  /* The facts read the definition with libvirt-gconfig (and the interface sources, which its
   * 4.0 API cannot return, from the same document). */
  facts = mw_domain_facts_gather (conn, domain, error);
  virConnectClose (conn);
  if (facts == NULL)
    return NULL;

  nics = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_domain_nic_free);
  for (guint i = 0; i < facts->nics->len; i++)
    {
      const MwNicFact *fact = &g_array_index (facts->nics, MwNicFact, i);
      MwDomainNic *nic;

      if (fact->kind != MW_INTERFACE_BRIDGE && fact->kind != MW_INTERFACE_NETWORK)
        continue;
      nic = g_new0 (MwDomainNic, 1);
      nic->mac = g_strdup (fact->mac);
      nic->is_network = fact->kind == MW_INTERFACE_NETWORK;
      nic->source = g_strdup (fact->source);
      g_ptr_array_add (nics, nic);
    }
  return nics;
}

void
mw_network_survey_free (MwNetworkSurvey *self)
{
  if (self == NULL)
    return;
  mw_host_networks_free (self->a);
  mw_host_networks_free (self->b);
  g_clear_pointer (&self->nics, g_ptr_array_unref);
  g_free (self->domain_error);
  g_free (self);
}

typedef struct
{
  char *uri_a, *ssh_a, *uri_b, *ssh_b, *domain;
} SurveyData;

static void
survey_data_free (gpointer data)
{
  SurveyData *survey = data;

  g_free (survey->uri_a);
  g_free (survey->ssh_a);
  g_free (survey->uri_b);
  g_free (survey->ssh_b);
  g_free (survey->domain);
  g_free (survey);
}

static gboolean
survey_call (gpointer       data,
             gpointer      *result,
             GCancellable  *cancellable,
             GError       **error)
{
  SurveyData *input = data;
  MwNetworkSurvey *survey = g_new0 (MwNetworkSurvey, 1);

  survey->a = mw_host_networks_gather (input->uri_a, input->ssh_a, cancellable);
  survey->b = mw_host_networks_gather (input->uri_b, input->ssh_b, cancellable);
  if (input->domain != NULL)
    {
      g_autoptr(GError) domain_error = NULL;

      survey->nics = mw_domain_nics_gather (input->uri_a, input->domain, &domain_error);
      if (survey->nics == NULL)
        survey->domain_error = g_strdup (domain_error->message);
    }
  if (survey->nics == NULL)
    survey->nics = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_domain_nic_free);
  *result = survey;
  return TRUE;
}

void
mw_network_survey_async (const char          *uri_a,
                         const char          *ssh_a,
                         const char          *uri_b,
                         const char          *ssh_b,
                         const char          *domain,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SurveyData *data = g_new0 (SurveyData, 1);
  g_autoptr(GTask) task = mw_setup_task_new (mw_network_survey_async, data, survey_data_free,
                                             cancellable, callback, user_data);

  data->uri_a = g_strdup (uri_a);
  data->ssh_a = g_strdup (ssh_a);
  data->uri_b = g_strdup (uri_b);
  data->ssh_b = g_strdup (ssh_b);
  data->domain = g_strdup (domain);
  mw_setup_task_run (task, survey_call, (GDestroyNotify) mw_network_survey_free);
}

MwNetworkSurvey *
mw_network_survey_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_network_survey_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
mw_bridge_ssh_target_for_uri (const char *uri)
{
  g_autoptr(MwSshTarget) target = mw_ssh_target_new_for_uri (uri, NULL);

  /* The URI's user (root when it names none: the set-up needs root), host and ssh port. */
  if (target == NULL)
    return NULL;
  if (target->user == NULL)
    target->user = g_strdup ("root");
  return mw_ssh_target_to_string (target);
}

