/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-bridge-setup.c: bridges and networks of two hosts; a bridge that rolls back unless kept.
 *
 * Threads: everything that takes a URI, a virConnectPtr or an MwBridgeChange blocks and runs in
 * a worker. An MwBridgeChange is used by one worker at a time (the UI waits for each call). */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libvirt/virterror.h>
#include <libxml/tree.h>

#include "mw-bridge-setup.h"
#include "mw-check-facts.h"
#include "mw-libvirt.h"
#include "mw-migration-options.h"
#include "mw-storage-setup.h"
#include "mw-uri.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigNetwork, g_object_unref)

/* g_strv_builder_take is GLib 2.80. */
static void
builder_take (GStrvBuilder *builder,
              char         *value)
{
  g_strv_builder_add (builder, value);
  g_free (value);
}

struct _MwBridgeChange
{
  MwBridgePlan *plan;
  MwBridgeMethod method;       /* what was used: never AUTO */
  char *token;
  char *checkpoint;            /* NetworkManager checkpoint object path */
  gint64 deadline;
};

/* The confirm-or-revert script (POSIX sh, run as root on the host). The watcher is a
 * background subshell with every descriptor redirected, so ssh returns at once and the watcher
 * keeps running (and rolls back) if the ssh connection dies. */
static const char bridge_script[] =
  "set -u\n"
  "br=$1 nic=$2 timeout=$3 token=$4 dir=$5\n"
  "st=\"$dir/$token\"\n"
  "mkdir -p \"$dir\" || exit 1\n"
  "if ip link show dev \"$br\" >/dev/null 2>&1; then\n"
  "  echo \"a link named $br already exists\" >&2; exit 3\n"
  "fi\n"
  "if [ -n \"$nic\" ] && ! ip link show dev \"$nic\" >/dev/null 2>&1; then\n"
  "  echo \"there is no interface named $nic\" >&2; exit 3\n"
  "fi\n"
  ": > \"$st.addrs\"; : > \"$st.routes\"\n"
  "if [ -n \"$nic\" ]; then\n"
  "  ip -o addr show dev \"$nic\" scope global | awk '{ print $3, $4 }' > \"$st.addrs\"\n"
  "  ip route show dev \"$nic\" | grep -v 'proto kernel' > \"$st.routes\"\n"
  "fi\n"
  "revert () {\n"
  "  [ -n \"$nic\" ] && ip link set dev \"$nic\" nomaster 2>/dev/null\n"
  "  ip link del dev \"$br\" 2>/dev/null\n"
  "  if [ -n \"$nic\" ]; then\n"
  "    while read -r fam addr; do ip addr add \"$addr\" dev \"$nic\" 2>/dev/null; done "
  "< \"$st.addrs\"\n"
  "    while read -r route; do ip route add $route dev \"$nic\" 2>/dev/null; done "
  "< \"$st.routes\"\n"
  "  fi\n"
  "  rm -f \"$st.addrs\" \"$st.routes\" \"$st.confirm\" \"$st.revert\"\n"
  "  echo reverted > \"$st.status\"\n"
  "}\n"
  "apply () {\n"
  "  ip link add name \"$br\" type bridge || return 1\n"
  "  ip link set dev \"$br\" up || return 1\n"
  "  [ -n \"$nic\" ] || return 0\n"
  "  ip link set dev \"$nic\" master \"$br\" || return 1\n"
  "  while read -r fam addr; do\n"
  "    ip addr del \"$addr\" dev \"$nic\" && ip addr add \"$addr\" dev \"$br\" || return 1\n"
  "  done < \"$st.addrs\"\n"
  "  while read -r route; do ip route replace $route dev \"$br\" || return 1; done "
  "< \"$st.routes\"\n"
  "}\n"
  "echo applying > \"$st.status\"\n"
  "if ! apply; then\n"
  "  revert; echo \"could not set up $br; restored what was there\" >&2; exit 1\n"
  "fi\n"
  "echo applied > \"$st.status\"\n"
  "(\n"
  "  trap '' HUP\n"
  "  end=$(( $(date +%s) + timeout ))\n"
  "  while [ \"$(date +%s)\" -lt \"$end\" ]; do\n"
  "    if [ -e \"$st.confirm\" ]; then\n"
  "      rm -f \"$st.addrs\" \"$st.routes\" \"$st.confirm\"; echo kept > \"$st.status\"; exit 0\n"
  "    fi\n"
  "    [ -e \"$st.revert\" ] && break\n"
  "    sleep 0.2\n"
  "  done\n"
  "  revert\n"
  ") < /dev/null > /dev/null 2>&1 &\n"
  "echo applied\n";

const char *
mw_bridge_get_script (void)
{
  return bridge_script;
}

/* Listing */

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

static gboolean
gather_libvirt_bridges (virConnectPtr   conn,
                        GPtrArray      *names)
{
  virInterfacePtr *interfaces = NULL;
  int n = virConnectListAllInterfaces (conn, &interfaces, 0);

  if (n < 0)
    {
      virResetLastError ();
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      char *xml = virInterfaceGetXMLDesc (interfaces[i], 0);
      g_autofree char *type = mw_setup_xml_find_attribute (xml, "interface", "type", NULL);

      if (g_strcmp0 (type, "bridge") == 0)
        g_ptr_array_add (names, g_strdup (virInterfaceGetName (interfaces[i])));
      free (xml);
      virInterfaceFree (interfaces[i]);
    }
  free (interfaces);
  virResetLastError ();
  return n > 0;
}

static void
gather_networks (virConnectPtr   conn,
                 GPtrArray      *networks)
{
  virNetworkPtr *list = NULL;
  int n = virConnectListAllNetworks (conn, &list, 0);

  if (n < 0)
    {
      virResetLastError ();
      return;
    }
  for (int i = 0; i < n; i++)
    {
      MwNetworkInfo *info = g_new0 (MwNetworkInfo, 1);
      char *xml = virNetworkGetXMLDesc (list[i], 0);

      info->name = g_strdup (virNetworkGetName (list[i]));
      info->active = virNetworkIsActive (list[i]) == 1;
      info->bridge = mw_setup_xml_find_attribute (xml, "bridge", "name", NULL);
      info->forward_mode = mw_setup_xml_find_attribute (xml, "forward", "mode", NULL);
      {
        gboolean has_forward = FALSE;
        g_autofree char *unused = mw_setup_xml_find_attribute (xml, "forward", "dev", &has_forward);

        /* <forward/> without a mode means NAT */
        if (has_forward && info->forward_mode == NULL)
          info->forward_mode = g_strdup ("nat");
      }
      free (xml);
      g_ptr_array_add (networks, info);
      virNetworkFree (list[i]);
    }
  free (list);
  virResetLastError ();
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

  conn = mw_check_open_connection (uri, &error);
  if (conn == NULL)
    {
      self->error = g_strdup_printf ("%s: %s: %s", self->label, _("connect"), error->message);
      self->bridges = g_new0 (char *, 1);
      return self;
    }
  if (gather_libvirt_bridges (conn, names))
    self->bridges_from = g_strdup ("libvirt");
  gather_networks (conn, self->networks);
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
        self->error = g_strdup_printf ("%s: %s: %s", self->label, _("list the bridges over ssh"),
                                       error->message);
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

static void
survey_thread (GTask        *task,
               gpointer      source_object,
               gpointer      data,
               GCancellable *cancellable)
{
  SurveyData *input = data;
  MwNetworkSurvey *survey = g_new0 (MwNetworkSurvey, 1);

  survey->a = mw_host_networks_gather (input->uri_a, input->ssh_a, cancellable);
  survey->b = mw_host_networks_gather (input->uri_b, input->ssh_b, cancellable);
  survey->nics = NULL;
  if (input->domain != NULL)
    {
      g_autoptr(GError) error = NULL;

      survey->nics = mw_domain_nics_gather (input->uri_a, input->domain, &error);
      if (survey->nics == NULL)
        survey->domain_error = g_strdup (error->message);
    }
  if (survey->nics == NULL)
    survey->nics = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_domain_nic_free);
  g_task_return_pointer (task, survey, (GDestroyNotify) mw_network_survey_free);
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
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SurveyData *data = g_new0 (SurveyData, 1);

  data->uri_a = g_strdup (uri_a);
  data->ssh_a = g_strdup (ssh_a);
  data->uri_b = g_strdup (uri_b);
  data->ssh_b = g_strdup (ssh_b);
  data->domain = g_strdup (domain);
  g_task_set_source_tag (task, mw_network_survey_async);
  g_task_set_task_data (task, data, survey_data_free);
  g_task_run_in_thread (task, survey_thread);
}

MwNetworkSurvey *
mw_network_survey_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_network_survey_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
mw_bridge_ssh_target_for_uri (const char *uri)
{
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, NULL);

  if (parsed == NULL || parsed->host == NULL || parsed->transport == MW_TRANSPORT_LOCAL)
    return NULL;
  if (strchr (parsed->host, ':') != NULL)
    return g_strdup_printf ("%s@%s", parsed->user != NULL ? parsed->user : "root", parsed->host);
  return g_strdup_printf ("%s@%s", parsed->user != NULL ? parsed->user : "root", parsed->host);
}

/* Plan */

MwBridgePlan *
mw_bridge_plan_new (const char *ssh_target,
                    const char *bridge,
                    const char *nic,
                    guint       timeout_s)
{
  MwBridgePlan *self = g_new0 (MwBridgePlan, 1);

  self->ssh_target = g_strdup (ssh_target);
  self->bridge = g_strdup (bridge);
  self->nic = nic != NULL && *nic != '\0' ? g_strdup (nic) : NULL;
  self->timeout_s = timeout_s > 0 ? timeout_s : MW_BRIDGE_DEFAULT_TIMEOUT_S;
  self->method = MW_BRIDGE_METHOD_AUTO;
  return self;
}

MwBridgePlan *
mw_bridge_plan_copy (const MwBridgePlan *self)
{
  MwBridgePlan *copy = mw_bridge_plan_new (self->ssh_target, self->bridge, self->nic,
                                           self->timeout_s);

  copy->method = self->method;
  copy->state_dir = g_strdup (self->state_dir);
  return copy;
}

void
mw_bridge_plan_free (MwBridgePlan *self)
{
  if (self == NULL)
    return;
  g_free (self->ssh_target);
  g_free (self->bridge);
  g_free (self->nic);
  g_free (self->state_dir);
  g_free (self);
}

/* Linux interface names: 1–15 characters, no '/', no whitespace, not "." or "..". */
static gboolean
is_ifname (const char *name)
{
  gsize n = name != NULL ? strlen (name) : 0;

  if (n == 0 || n > 15 || name[0] == '-' || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_.-", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
mw_bridge_plan_validate (const MwBridgePlan *self,
                         GError            **error)
{
  if (self->ssh_target == NULL || *self->ssh_target == '\0' || *self->ssh_target == '-'
      || strpbrk (self->ssh_target, " \t\n'\"\\;&|$`") != NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("Give the host to reach over ssh as user@host."));
      return FALSE;
    }
  if (!is_ifname (self->bridge))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a valid bridge name (1–15 letters, digits, “_”, “.”, “-”)."),
                   self->bridge != NULL ? self->bridge : "");
      return FALSE;
    }
  if (self->nic != NULL && !is_ifname (self->nic))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a valid interface name."), self->nic);
      return FALSE;
    }
  if (self->nic != NULL && g_str_equal (self->nic, self->bridge))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The bridge needs another name than the interface it takes over."));
      return FALSE;
    }
  if (self->timeout_s < 5 || self->timeout_s > 600)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The confirmation time must be between 5 and 600 seconds."));
      return FALSE;
    }
  if (self->state_dir != NULL && (self->state_dir[0] != '/' || strchr (self->state_dir, ' ')))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The state directory must be an absolute path."));
      return FALSE;
    }
  return TRUE;
}

GStrv
mw_bridge_script_argv (const MwBridgePlan *plan,
                       const char         *token)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add_many (builder, "sh", "-c", bridge_script, "mw-bridge", plan->bridge,
                           plan->nic != NULL ? plan->nic : "", NULL);
  builder_take (builder, g_strdup_printf ("%u", plan->timeout_s));
  g_strv_builder_add_many (builder, token,
                           plan->state_dir != NULL ? plan->state_dir : MW_BRIDGE_STATE_DIR,
                           NULL);
  return g_strv_builder_end (builder);
}

/* NetworkManager: the bridge takes over the NIC's IPv4 set-up (DHCP stays DHCP, static
 * addresses, gateway and DNS move). Runs inside the checkpoint. */
static const char nm_script[] =
  "set -u\n"
  "br=$1 nic=$2\n"
  "nmcli -t -f DEVICE device | grep -qx \"$br\" && { echo \"$br already exists\" >&2; exit 3; }\n"
  "if [ -z \"$nic\" ]; then\n"
  "  nmcli con add type bridge ifname \"$br\" con-name \"$br\" ipv4.method disabled "
  "ipv6.method ignore >/dev/null && nmcli con up \"$br\" >/dev/null && exit 0\n"
  "  exit 1\n"
  "fi\n"
  "con=$(nmcli -g GENERAL.CONNECTION device show \"$nic\")\n"
  "method=auto\n"
  "[ -n \"$con\" ] && method=$(nmcli -g ipv4.method con show \"$con\")\n"
  "if [ \"$method\" = manual ]; then\n"
  "  addrs=$(nmcli -g ipv4.addresses con show \"$con\")\n"
  "  gw=$(nmcli -g ipv4.gateway con show \"$con\")\n"
  "  dns=$(nmcli -g ipv4.dns con show \"$con\")\n"
  "  nmcli con add type bridge ifname \"$br\" con-name \"$br\" ipv4.method manual "
  "ipv4.addresses \"$addrs\" ipv4.gateway \"$gw\" ipv4.dns \"$dns\" >/dev/null || exit 1\n"
  "else\n"
  "  nmcli con add type bridge ifname \"$br\" con-name \"$br\" ipv4.method auto >/dev/null "
  "|| exit 1\n"
  "fi\n"
  "nmcli con add type bridge-slave ifname \"$nic\" master \"$br\" con-name \"$br-port-$nic\" "
  ">/dev/null || exit 1\n"
  "nmcli con up \"$br-port-$nic\" >/dev/null && nmcli con up \"$br\" >/dev/null\n";

#define NM_DBUS "gdbus call --system --dest org.freedesktop.NetworkManager " \
                "--object-path /org/freedesktop/NetworkManager " \
                "--method org.freedesktop.NetworkManager."

char *
mw_bridge_nm_apply_command (const MwBridgePlan *plan)
{
  const char *argv[] = { "sh", "-c", nm_script, "mw-bridge", plan->bridge,
                         plan->nic != NULL ? plan->nic : "", NULL };

  return mw_shell_join (argv);
}

static char *
parse_object_path (const char *out)
{
  const char *start = out != NULL ? strchr (out, '\'') : NULL;
  const char *end = start != NULL ? strchr (start + 1, '\'') : NULL;

  if (start == NULL || end == NULL)
    return NULL;
  return g_strndup (start + 1, end - start - 1);
}

static gboolean
create_with_network_manager (MwBridgeChange *change,
                             GCancellable   *cancellable,
                             GError        **error)
{
  const MwBridgePlan *plan = change->plan;
  g_autofree char *create = NULL;
  g_autofree char *apply = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) local_error = NULL;

  /* flags 7: destroy older checkpoints, delete connections and disconnect devices made after
   * it — the bridge and its port — when it rolls back. No devices: all of them. */
  create = g_strdup_printf (NM_DBUS "CheckpointCreate '@ao []' %u 7", plan->timeout_s);
  if (!mw_setup_ssh_run (plan->ssh_target, create, cancellable, &out, &local_error))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", plan->ssh_target,
                   _("create a NetworkManager checkpoint"), local_error->message);
      return FALSE;
    }
  change->checkpoint = parse_object_path (out);
  change->deadline = g_get_monotonic_time () + plan->timeout_s * G_USEC_PER_SEC;
  if (change->checkpoint == NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", plan->ssh_target,
                   _("create a NetworkManager checkpoint"), out);
      return FALSE;
    }

  apply = mw_bridge_nm_apply_command (plan);
  if (!mw_setup_ssh_run (plan->ssh_target, apply, cancellable, NULL, &local_error))
    {
      g_autofree char *qpath = mw_shell_quote (change->checkpoint);
      g_autofree char *rollback = g_strdup_printf (NM_DBUS "CheckpointRollback %s", qpath);

      /* If even this fails, the checkpoint's timeout still rolls back. */
      mw_setup_ssh_run (plan->ssh_target, rollback, NULL, NULL, NULL);
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", plan->ssh_target,
                   _("create the bridge with NetworkManager"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
state_path (MwBridgeChange *change,
            const char     *suffix)
{
  return g_strdup_printf ("%s/%s.%s", change->plan->state_dir != NULL ? change->plan->state_dir
                                                                      : MW_BRIDGE_STATE_DIR,
                          change->token, suffix);
}

static gboolean
create_with_iproute2 (MwBridgeChange *change,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_auto(GStrv) argv = mw_bridge_script_argv (change->plan, change->token);
  g_autofree char *command = mw_shell_join ((const char * const *) argv);
  g_autoptr(GError) local_error = NULL;

  change->deadline = g_get_monotonic_time () + change->plan->timeout_s * G_USEC_PER_SEC;
  if (!mw_setup_ssh_run (change->plan->ssh_target, command, cancellable, NULL, &local_error))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s",
                   change->plan->ssh_target, _("create the bridge with iproute2"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

MwBridgeChange *
mw_bridge_create (const MwBridgePlan *plan,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *check = NULL;

  g_return_val_if_fail (plan != NULL, NULL);

  if (!mw_bridge_plan_validate (plan, error))
    return NULL;

  change = g_new0 (MwBridgeChange, 1);
  change->plan = mw_bridge_plan_copy (plan);
  change->token = g_strdup_printf ("bridge-%s-%08x", plan->bridge, g_random_int ());
  change->method = plan->method;
  if (change->method == MW_BRIDGE_METHOD_AUTO)
    change->method = mw_setup_ssh_run (plan->ssh_target, "nmcli -t general status", cancellable,
                                       NULL, NULL)
                       ? MW_BRIDGE_METHOD_NETWORK_MANAGER : MW_BRIDGE_METHOD_IPROUTE2;

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER
        ? !create_with_network_manager (change, cancellable, error)
        : !create_with_iproute2 (change, cancellable, error))
    return NULL;

  /* A fresh ssh connection proves the host still answers with the bridge in place. */
  check = g_strdup_printf ("ip -br link show dev %s", plan->bridge);
  if (!mw_setup_ssh_run (plan->ssh_target, check, cancellable, NULL, &local_error))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                   _("%s: check the host still answers: %s — it rolls back by itself within "
                     "%u s"), plan->ssh_target, local_error->message, plan->timeout_s);
      return NULL;
    }
  return g_steal_pointer (&change);
}

MwBridgeOutcome
mw_bridge_change_query (MwBridgeChange *change,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autofree char *out = NULL;
  g_autofree char *command = NULL;

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER)
    {
      /* The bridge's connection goes with a rollback; a destroyed checkpoint means kept. */
      /* Read-only: the manager's Checkpoints property still lists ours while it can roll
       * back ("…/Checkpoint/1'" so that …/Checkpoint/10 does not match). */
      g_autofree char *pattern = g_strdup_printf ("%s'", change->checkpoint);
      g_autofree char *qpattern = mw_shell_quote (pattern);

      command = g_strdup_printf ("if ! nmcli -t -f NAME con show | grep -qx %s; then "
                                 "echo reverted; elif gdbus call --system "
                                 "--dest org.freedesktop.NetworkManager "
                                 "--object-path /org/freedesktop/NetworkManager "
                                 "--method org.freedesktop.DBus.Properties.Get "
                                 "org.freedesktop.NetworkManager Checkpoints | grep -qF -- %s; "
                                 "then echo applied; else echo kept; fi",
                                 change->plan->bridge, qpattern);
    }
  else
    {
      g_autofree char *status = state_path (change, "status");
      g_autofree char *qstatus = mw_shell_quote (status);

      command = g_strdup_printf ("cat %s", qstatus);
    }
  if (!mw_setup_ssh_run (change->plan->ssh_target, command, cancellable, &out, error))
    return MW_BRIDGE_OUTCOME_PENDING;
  g_strstrip (out);
  if (g_str_equal (out, "kept"))
    return MW_BRIDGE_OUTCOME_KEPT;
  if (g_str_equal (out, "reverted"))
    return MW_BRIDGE_OUTCOME_REVERTED;
  return MW_BRIDGE_OUTCOME_PENDING;
}

/* Waits (polling the host) until the change is no longer pending, at most timeout_s. */
static MwBridgeOutcome
wait_settled (MwBridgeChange *change,
              guint           timeout_s,
              GCancellable   *cancellable,
              GError        **error)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  MwBridgeOutcome outcome;

  do
    {
      g_clear_error (error);
      outcome = mw_bridge_change_query (change, cancellable, error);
      if (outcome != MW_BRIDGE_OUTCOME_PENDING)
        return outcome;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_usleep (300 * 1000);
    }
  while (g_get_monotonic_time () < end);
  return MW_BRIDGE_OUTCOME_PENDING;
}

gboolean
mw_bridge_change_confirm (MwBridgeChange *change,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autofree char *command = NULL;
  g_autoptr(GError) local_error = NULL;
  MwBridgeOutcome outcome;

  g_return_val_if_fail (change != NULL, FALSE);

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER)
    {
      g_autofree char *qpath = mw_shell_quote (change->checkpoint);

      command = g_strdup_printf (NM_DBUS "CheckpointDestroy %s >/dev/null && echo kept", qpath);
    }
  else
    {
      g_autofree char *confirm = state_path (change, "confirm");
      g_autofree char *qconfirm = mw_shell_quote (confirm);

      command = g_strdup_printf ("touch %s", qconfirm);
    }
  if (!mw_setup_ssh_run (change->plan->ssh_target, command, cancellable, NULL, &local_error))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s",
                   change->plan->ssh_target, _("keep the bridge"), local_error->message);
      return FALSE;
    }
  outcome = wait_settled (change, 5, cancellable, &local_error);
  if (outcome != MW_BRIDGE_OUTCOME_KEPT)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s",
                   change->plan->ssh_target, _("keep the bridge"),
                   outcome == MW_BRIDGE_OUTCOME_REVERTED
                     ? _("too late: the host had already rolled the change back")
                     : local_error != NULL ? local_error->message
                                           : _("the host did not acknowledge the confirmation"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mw_bridge_change_revert (MwBridgeChange *change,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autofree char *command = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (change != NULL, FALSE);

  if (change->method == MW_BRIDGE_METHOD_NETWORK_MANAGER)
    {
      g_autofree char *qpath = mw_shell_quote (change->checkpoint);

      command = g_strdup_printf (NM_DBUS "CheckpointRollback %s >/dev/null", qpath);
    }
  else
    {
      g_autofree char *revert = state_path (change, "revert");
      g_autofree char *qrevert = mw_shell_quote (revert);

      command = g_strdup_printf ("touch %s", qrevert);
    }
  /* Even if this cannot reach the host, the host rolls back at the deadline by itself. */
  mw_setup_ssh_run (change->plan->ssh_target, command, cancellable, NULL, NULL);
  if (wait_settled (change, change->plan->timeout_s + 5, cancellable, &local_error)
      != MW_BRIDGE_OUTCOME_REVERTED)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s",
                   change->plan->ssh_target, _("roll the bridge back"),
                   local_error != NULL ? local_error->message
                                       : _("the host does not report the rollback yet"));
      return FALSE;
    }
  return TRUE;
}

MwBridgeMethod
mw_bridge_change_get_method (MwBridgeChange *change)
{
  return change->method;
}

gint64
mw_bridge_change_get_deadline (MwBridgeChange *change)
{
  return change->deadline;
}

const MwBridgePlan *
mw_bridge_change_get_plan (MwBridgeChange *change)
{
  return change->plan;
}

void
mw_bridge_change_free (MwBridgeChange *change)
{
  if (change == NULL)
    return;
  mw_bridge_plan_free (change->plan);
  g_free (change->token);
  g_free (change->checkpoint);
  g_free (change);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  MwBridgeChange *change = mw_bridge_create (data, cancellable, &error);

  if (change == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, change, (GDestroyNotify) mw_bridge_change_free);
}

void
mw_bridge_create_async (const MwBridgePlan  *plan,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_bridge_create_async);
  g_task_set_task_data (task, mw_bridge_plan_copy (plan), (GDestroyNotify) mw_bridge_plan_free);
  g_task_run_in_thread (task, create_thread);
}

MwBridgeChange *
mw_bridge_create_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_bridge_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
settle_thread (GTask        *task,
               gpointer      source_object,
               gpointer      data,
               GCancellable *cancellable)
{
  MwBridgeChange *change = data;
  gboolean confirm = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "mw-confirm"));
  GError *error = NULL;
  gboolean ok;

  ok = confirm ? mw_bridge_change_confirm (change, cancellable, &error)
               : mw_bridge_change_revert (change, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mw_bridge_change_settle_async (MwBridgeChange      *change,
                               gboolean             confirm,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_bridge_change_settle_async);
  g_task_set_task_data (task, change, NULL);
  g_object_set_data (G_OBJECT (task), "mw-confirm", GINT_TO_POINTER (confirm));
  g_task_run_in_thread (task, settle_thread);
}

gboolean
mw_bridge_change_settle_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_bridge_change_settle_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* libvirt bridge network */

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

  if (!is_ifname (bridge))
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

typedef struct
{
  virConnectPtr conn;
  char *name;
  char *bridge;
  char *xml;
  virNetworkPtr network;
  gboolean existed;
} NetworkContext;

static void
network_context_free (gpointer data)
{
  NetworkContext *context = data;

  if (context->network != NULL)
    virNetworkFree (context->network);
  g_free (context->name);
  g_free (context->bridge);
  g_free (context->xml);
  g_free (context);
}

static gboolean
network_lookup_run (gpointer       data,
                    gboolean      *changed,
                    char         **note,
                    GCancellable  *cancellable,
                    GError       **error)
{
  NetworkContext *context = data;
  virNetworkPtr network = virNetworkLookupByName (context->conn, context->name);
  char *xml;
  g_autofree char *bridge = NULL;
  g_autofree char *mode = NULL;

  if (network == NULL)
    {
      virResetLastError ();
      return TRUE;
    }
  xml = virNetworkGetXMLDesc (network, VIR_NETWORK_XML_INACTIVE);
  if (xml == NULL)
    {
      virResetLastError ();
      xml = virNetworkGetXMLDesc (network, 0);
    }
  bridge = mw_setup_xml_find_attribute (xml, "bridge", "name", NULL);
  mode = mw_setup_xml_find_attribute (xml, "forward", "mode", NULL);
  free (xml);
  if (g_strcmp0 (bridge, context->bridge) != 0 || g_strcmp0 (mode, "bridge") != 0)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT,
                   _("a network named “%s” already exists (mode %s, bridge %s); it was left as "
                     "it is"), context->name, mode != NULL ? mode : "nat",
                   bridge != NULL ? bridge : "-");
      virNetworkFree (network);
      return FALSE;
    }
  context->network = network;
  context->existed = TRUE;
  *note = g_strdup (_("already defined the same way: reused"));
  return TRUE;
}

static gboolean
network_define_run (gpointer       data,
                    gboolean      *changed,
                    char         **note,
                    GCancellable  *cancellable,
                    GError       **error)
{
  NetworkContext *context = data;

  if (context->existed)
    return TRUE;
  context->network = virNetworkDefineXML (context->conn, context->xml);
  if (context->network == NULL)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
network_define_undo (gpointer   data,
                     GError   **error)
{
  NetworkContext *context = data;

  if (virNetworkUndefine (context->network) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
network_autostart_run (gpointer       data,
                       gboolean      *changed,
                       char         **note,
                       GCancellable  *cancellable,
                       GError       **error)
{
  NetworkContext *context = data;
  int autostart = 0;

  if (virNetworkGetAutostart (context->network, &autostart) == 0 && autostart)
    return TRUE;
  if (virNetworkSetAutostart (context->network, 1) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
network_autostart_undo (gpointer   data,
                        GError   **error)
{
  NetworkContext *context = data;

  if (virNetworkSetAutostart (context->network, 0) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
network_start_run (gpointer       data,
                   gboolean      *changed,
                   char         **note,
                   GCancellable  *cancellable,
                   GError       **error)
{
  NetworkContext *context = data;

  if (virNetworkIsActive (context->network) == 1)
    return TRUE;
  if (virNetworkCreate (context->network) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
network_start_undo (gpointer   data,
                    GError   **error)
{
  NetworkContext *context = data;

  if (virNetworkDestroy (context->network) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
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
  NetworkContext *context;
  gboolean ok;

  g_return_val_if_fail (conn != NULL && host_label != NULL, FALSE);

  config = mw_bridge_build_network_config (name, bridge, error);
  if (config == NULL)
    return FALSE;

  context = g_new0 (NetworkContext, 1);
  context->conn = conn;
  context->name = g_strdup (name);
  context->bridge = g_strdup (bridge);
  context->xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  journal = mw_setup_journal_new (host_label);
  ok = mw_setup_journal_run (journal, _("look for a network of that name"), network_lookup_run,
                             NULL, context, network_context_free, NULL, error)
       && mw_setup_journal_run (journal, _("define the network"), network_define_run,
                                network_define_undo, context, NULL, NULL, error)
       && mw_setup_journal_run (journal, _("mark the network to start at boot"),
                                network_autostart_run, network_autostart_undo, context, NULL,
                                NULL, error)
       && mw_setup_journal_run (journal, _("start the network"), network_start_run,
                                network_start_undo, context, NULL, NULL, error);
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

static void
define_network_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      data,
                       GCancellable *cancellable)
{
  DefineNetworkData *input = data;
  g_autofree char *label = mw_setup_host_label (input->uri);
  GError *error = NULL;
  virConnectPtr conn = mw_check_open_connection (input->uri, &error);

  if (conn == NULL)
    {
      g_task_return_new_error (task, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", label,
                               _("connect"), error->message);
      g_error_free (error);
      return;
    }
  /* steps are read by _finish only after the task completed */
  if (mw_bridge_define_network (conn, label, input->name, input->bridge, &input->steps, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  virConnectClose (conn);
}

void
mw_bridge_define_network_async (const char          *uri,
                                const char          *name,
                                const char          *bridge,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DefineNetworkData *data = g_new0 (DefineNetworkData, 1);

  data->uri = g_strdup (uri);
  data->name = g_strdup (name);
  data->bridge = g_strdup (bridge);
  g_task_set_source_tag (task, mw_bridge_define_network_async);
  g_task_set_task_data (task, data, define_network_data_free);
  g_task_run_in_thread (task, define_network_thread);
}

GPtrArray *
mw_bridge_define_network_finish (GAsyncResult  *result,
                                 GPtrArray    **steps,
                                 GError       **error)
{
  DefineNetworkData *data;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_bridge_define_network_async,
                        NULL);

  data = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (steps != NULL)
    *steps = data->steps != NULL ? g_ptr_array_ref (data->steps) : NULL;
  return ok && data->steps != NULL ? g_ptr_array_ref (data->steps) : NULL;
}
