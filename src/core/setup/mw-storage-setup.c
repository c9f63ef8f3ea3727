/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-storage-setup.c: the NFS plan, the server side over ssh, the netfs pool on both hosts.
 *
 * Threads: plan functions are pure. Everything taking a virConnectPtr or running ssh blocks and
 * runs in a worker; the `_async` wrappers copy their input into the task. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mw-check-facts.h"
#include "mw-libvirt.h"
#include "mw-migration-options.h"
#include "mw-storage-setup.h"
#include "mw-uri.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

/* g_strv_builder_take is GLib 2.80. */
static void
builder_take (GStrvBuilder *builder,
              char         *value)
{
  g_strv_builder_add (builder, value);
  g_free (value);
}

#define VERIFY_VOLUME_BYTES (1024 * 1024)

G_DEFINE_BOXED_TYPE (MwNfsPlan, mw_nfs_plan, mw_nfs_plan_copy, mw_nfs_plan_free)

/* Plan */

MwNfsPlan *
mw_nfs_plan_new (const char *server,
                 const char *export_path,
                 const char *network,
                 const char *pool_name,
                 const char *target_path)
{
  MwNfsPlan *self = g_new0 (MwNfsPlan, 1);

  self->server = g_strdup (server);
  self->export_path = g_strdup (export_path);
  self->network = g_strdup (network);
  self->pool_name = g_strdup (pool_name != NULL ? pool_name : MW_NFS_DEFAULT_POOL);
  self->target_path = g_strdup (target_path != NULL ? target_path : MW_NFS_DEFAULT_TARGET);
  return self;
}

MwNfsPlan *
mw_nfs_plan_copy (const MwNfsPlan *self)
{
  MwNfsPlan *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = mw_nfs_plan_new (self->server, self->export_path, self->network, self->pool_name,
                          self->target_path);
  copy->ssh_user = g_strdup (self->ssh_user);
  return copy;
}

void
mw_nfs_plan_free (MwNfsPlan *self)
{
  if (self == NULL)
    return;
  g_free (self->server);
  g_free (self->export_path);
  g_free (self->network);
  g_free (self->pool_name);
  g_free (self->target_path);
  g_free (self->ssh_user);
  g_free (self);
}

/* An absolute path an exports line and a mount can carry as one word. */
static gboolean
is_plain_absolute_path (const char *path)
{
  if (path == NULL || path[0] != '/')
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("\"'\\(),#", *p) != NULL)
      return FALSE;
  return strstr (path, "/../") == NULL && !g_str_has_suffix (path, "/..");
}

static gboolean
is_valid_network (const char *network)
{
  g_autoptr(GInetAddressMask) mask = NULL;

  if (network == NULL || *network == '\0')
    return FALSE;
  if (strchr (network, '/') != NULL)
    {
      mask = g_inet_address_mask_new_from_string (network, NULL);
      return mask != NULL;
    }
  /* A single host or a name pattern such as *.lab.example. */
  for (const char *p = network; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (".-:*?", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_pool_name (const char *name)
{
  if (name == NULL || *name == '\0' || *name == '-' || *name == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_.-", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
mw_nfs_plan_validate (const MwNfsPlan *self,
                      GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->server == NULL || !mw_uri_validate_host (self->server, NULL))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a host name or address for the NFS server."),
                   self->server != NULL ? self->server : "");
      return FALSE;
    }
  if (!is_plain_absolute_path (self->export_path))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The export path must be an absolute path without spaces or quotes."));
      return FALSE;
    }
  if (!is_valid_network (self->network))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a network such as 10.78.0.0/24 or a host name."),
                   self->network != NULL ? self->network : "");
      return FALSE;
    }
  if (!is_valid_pool_name (self->pool_name))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The pool name may only hold letters, digits, “_”, “.” and “-”."));
      return FALSE;
    }
  if (!is_plain_absolute_path (self->target_path))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The mount path on the hosts must be an absolute path without spaces or "
                     "quotes."));
      return FALSE;
    }
  if (self->ssh_user != NULL && !mw_uri_validate_user (self->ssh_user, NULL))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("“%s” is not a user name ssh can use."), self->ssh_user);
      return FALSE;
    }
  return TRUE;
}

char *
mw_nfs_plan_get_exports_line (const MwNfsPlan *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("%s %s(%s)", self->export_path, self->network, MW_NFS_EXPORT_OPTIONS);
}

GStrv
mw_nfs_plan_get_server_commands (const MwNfsPlan *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *line = mw_nfs_plan_get_exports_line (self);
  g_autofree char *qline = mw_shell_quote (line);
  g_autofree char *qpath = mw_shell_quote (self->export_path);
  g_autofree char *qnet = mw_shell_quote (self->network);

  builder_take (builder, g_strdup_printf ("mkdir -p %s", qpath));
  builder_take (builder, g_strdup_printf ("echo %s >> /etc/exports", qline));
  g_strv_builder_add (builder, "exportfs -r");
  g_strv_builder_add (builder,
                      "firewall-cmd --permanent --add-service=nfs && firewall-cmd --reload");
  builder_take (builder, g_strdup_printf ("ufw allow from %s to any port 2049 proto tcp",
                                                qnet));
  g_strv_builder_add (builder, "showmount -e localhost");
  return g_strv_builder_end (builder);
}

char *
mw_nfs_plan_render (const MwNfsPlan *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *line = mw_nfs_plan_get_exports_line (self);
  g_autofree char *qtarget = mw_shell_quote (self->target_path);
  g_autofree char *qpath = mw_shell_quote (self->export_path);
  g_auto(GStrv) commands = mw_nfs_plan_get_server_commands (self);

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append_printf (text, _("NFS server: %s, exporting %s to %s.\n\n"), self->server,
                          self->export_path, self->network);
  g_string_append (text, _("1. Add this line to /etc/exports on the server:\n"));
  g_string_append_printf (text, "   %s\n\n", line);
  g_string_append (text, _("2. On the server, run:\n"));
  for (guint i = 0; commands[i] != NULL; i++)
    {
      /* the firewall lines are shown under their own heading */
      if (g_str_has_prefix (commands[i], "firewall-cmd") || g_str_has_prefix (commands[i], "ufw")
          || g_str_has_prefix (commands[i], "showmount"))
        continue;
      g_string_append_printf (text, "   %s\n", commands[i]);
    }
  g_string_append (text, _("\n3. Firewall: allow TCP 2049 (NFSv4) from the hosts:\n"));
  for (guint i = 0; commands[i] != NULL; i++)
    if (g_str_has_prefix (commands[i], "firewall-cmd") || g_str_has_prefix (commands[i], "ufw"))
      g_string_append_printf (text, "   %s\n", commands[i]);
  g_string_append (text, _("   (firewalld or ufw, whichever the server runs; NFSv3 also needs "
                           "rpcbind 111 and mountd.)\n"));
  g_string_append (text, _("\n4. Check the export from the server:\n   showmount -e localhost\n"));
  g_string_append (text, _("\n5. SELinux hosts (Fedora, RHEL): let QEMU use NFS, on both "
                           "hypervisor hosts:\n   setsebool -P virt_use_nfs 1\n"));
  g_string_append_printf (text, _("\n6. On both hosts, the same libvirt pool “%s” (type netfs, "
                                  "mounted at %s, started at boot):\n"), self->pool_name,
                          self->target_path);
  g_string_append_printf (text, "   virsh pool-define-as %s netfs --source-host %s "
                          "--source-path %s --source-format nfs --target %s\n",
                          self->pool_name, self->server, qpath, qtarget);
  g_string_append_printf (text, "   virsh pool-build %s && virsh pool-autostart %s && "
                          "virsh pool-start %s\n", self->pool_name, self->pool_name,
                          self->pool_name);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* libvirt-gconfig 4.0 writes the source directory as <directory path=…>, which libvirt ignores
 * (it reads <dir path=…>, and a netfs pool without it is refused). Renames that one element in
 * the document tree and lets libvirt-gconfig parse the result again. Takes pool. */
static GVirConfigStoragePool *
fix_source_dir (GVirConfigStoragePool *pool)
{
  g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (pool));
  xmlDocPtr doc = xmlReadMemory (xml, strlen (xml), "pool.xml", NULL, XML_PARSE_NONET);
  xmlNodePtr root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  xmlChar *text = NULL;
  int size = 0;
  GVirConfigStoragePool *fixed = NULL;

  for (xmlNodePtr node = root != NULL ? root->children : NULL; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE && xmlStrEqual (node->name, (const xmlChar *) "source"))
      for (xmlNodePtr child = node->children; child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE
            && xmlStrEqual (child->name, (const xmlChar *) "directory"))
          xmlNodeSetName (child, (const xmlChar *) "dir");

  if (doc != NULL)
    {
      xmlDocDumpMemory (doc, &text, &size);
      xmlFreeDoc (doc);
      fixed = gvir_config_storage_pool_new_from_xml ((const char *) text, NULL);
      xmlFree (text);
    }
  if (fixed == NULL)
    return pool;
  g_object_unref (pool);
  return fixed;
}

GVirConfigStoragePool *
mw_nfs_plan_build_pool_config (const MwNfsPlan *self)
{
  GVirConfigStoragePool *pool;
  g_autoptr(GVirConfigStoragePoolSource) source = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  pool = gvir_config_storage_pool_new ();
  gvir_config_storage_pool_set_pool_type (pool, GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS);
  gvir_config_storage_pool_set_name (pool, self->pool_name);

  source = gvir_config_storage_pool_source_new ();
  gvir_config_storage_pool_source_set_host (source, self->server);
  gvir_config_storage_pool_source_set_directory (source, self->export_path);
  gvir_config_storage_pool_source_set_format (source, "nfs");
  gvir_config_storage_pool_set_source (pool, source);

  target = gvir_config_storage_pool_target_new ();
  gvir_config_storage_pool_target_set_path (target, self->target_path);
  gvir_config_storage_pool_set_target (pool, target);

  return fix_source_dir (pool);
}

char *
mw_nfs_plan_get_pool_xml (const MwNfsPlan *self)
{
  g_autoptr(GVirConfigStoragePool) pool = mw_nfs_plan_build_pool_config (self);

  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (pool));
}

char *
mw_setup_host_label (const char *uri)
{
  g_autoptr(MwUri) parsed = mw_uri_parse (uri, NULL);

  if (parsed == NULL)
    return g_strdup (uri);
  if (parsed->host != NULL)
    return g_strdup (parsed->host);
  if (parsed->hypervisor == MW_HYPERVISOR_TEST && parsed->path != NULL)
    {
      g_autofree char *base = g_path_get_basename (parsed->path);

      if (g_str_has_suffix (base, ".xml"))
        base[strlen (base) - 4] = '\0';
      return g_steal_pointer (&base);
    }
  return g_strdup ("localhost");
}

/* Server side over ssh.
 *
 * Each remote step prints "changed" or "unchanged" (optionally ": note") on its first line, so
 * the journal knows what to undo. */

typedef struct
{
  char *target;     /* user@server */
  char *apply;      /* remote shell command */
  char *undo;       /* remote shell command, or NULL */
  char *expect;     /* for checks: stdout must contain this */
} RemoteStep;

static void
remote_step_free (gpointer data)
{
  RemoteStep *step = data;

  g_free (step->target);
  g_free (step->apply);
  g_free (step->undo);
  g_free (step->expect);
  g_free (step);
}

static gboolean
remote_step_run (gpointer       data,
                 gboolean      *changed,
                 char         **note,
                 GCancellable  *cancellable,
                 GError       **error)
{
  RemoteStep *step = data;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  if (!mw_setup_ssh_run (step->target, step->apply, cancellable, &out, error))
    return FALSE;

  if (step->expect != NULL)
    {
      if (strstr (out, step->expect) == NULL)
        {
          g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_NOT_FOUND,
                       _("%s is not in the list:\n%s"), step->expect, g_strstrip (out));
          return FALSE;
        }
      *note = g_strdup (g_strstrip (out));
      return TRUE;
    }

  lines = g_strsplit (out, "\n", 2);
  *changed = lines[0] != NULL && g_str_has_prefix (lines[0], "changed");
  if (lines[0] != NULL && strchr (lines[0], ':') != NULL)
    *note = g_strdup (g_strstrip (strchr (lines[0], ':') + 1));
  return TRUE;
}

static gboolean
remote_step_undo (gpointer   data,
                  GError   **error)
{
  RemoteStep *step = data;

  if (step->undo == NULL)
    return TRUE;
  return mw_setup_ssh_run (step->target, step->undo, NULL, NULL, error);
}

static RemoteStep *
remote_step_new (const char *target,
                 char       *apply,
                 char       *undo)
{
  RemoteStep *step = g_new0 (RemoteStep, 1);

  step->target = g_strdup (target);
  step->apply = apply;
  step->undo = undo;
  return step;
}

gboolean
mw_nfs_apply_server (const MwNfsPlan *plan,
                     GCancellable    *cancellable,
                     GPtrArray      **steps,
                     GError         **error)
{
  g_autoptr(MwSetupJournal) journal = NULL;
  g_autofree char *target = NULL;
  g_autofree char *line = NULL;
  g_autofree char *qline = NULL;
  g_autofree char *qpath = NULL;
  g_autofree char *qnet = NULL;
  RemoteStep *step;
  gboolean ok = FALSE;

  g_return_val_if_fail (plan != NULL, FALSE);

  if (!mw_nfs_plan_validate (plan, error))
    return FALSE;

  journal = mw_setup_journal_new (plan->server);
  target = g_strdup_printf ("%s@%s", plan->ssh_user != NULL ? plan->ssh_user : "root",
                            plan->server);
  line = mw_nfs_plan_get_exports_line (plan);
  qline = mw_shell_quote (line);
  qpath = mw_shell_quote (plan->export_path);
  qnet = mw_shell_quote (plan->network);

  step = remote_step_new (target,
                          g_strdup_printf ("if [ -d %s ]; then echo unchanged; "
                                           "else mkdir -p %s && echo changed; fi", qpath, qpath),
                          g_strdup_printf ("rmdir %s", qpath));
  if (!mw_setup_journal_run (journal, _("create the export directory"), remote_step_run,
                             remote_step_undo, step, remote_step_free, cancellable, error))
    goto out;

  /* An export of the same directory with other options is the admin's: reported, kept. */
  step = remote_step_new (target,
                          g_strdup_printf ("line=%s; path=%s; "
                                           "if grep -qxF \"$line\" /etc/exports 2>/dev/null; "
                                           "then echo unchanged; exit 0; fi; "
                                           "old=$(awk -v p=\"$path\" '$1 == p' /etc/exports "
                                           "2>/dev/null); "
                                           "if [ -n \"$old\" ]; then echo \"/etc/exports already "
                                           "exports $path differently: $old (left as it is)\" "
                                           ">&2; exit 3; fi; "
                                           "printf '%%s\\n' \"$line\" >> /etc/exports "
                                           "&& echo changed", qline, qpath),
                          g_strdup_printf ("line=%s; grep -vxF \"$line\" /etc/exports "
                                           "> /etc/exports.migwizard; "
                                           "cat /etc/exports.migwizard > /etc/exports; "
                                           "rm -f /etc/exports.migwizard; exportfs -r", qline));
  if (!mw_setup_journal_run (journal, _("add the line to /etc/exports"), remote_step_run,
                             remote_step_undo, step, remote_step_free, cancellable, error))
    goto out;

  /* Undone by the previous step's undo, which re-reads the exports after removing the line. */
  step = remote_step_new (target, g_strdup ("exportfs -r && echo changed"), NULL);
  if (!mw_setup_journal_run (journal, _("reload the exports (exportfs -r)"), remote_step_run,
                             remote_step_undo, step, remote_step_free, cancellable, error))
    goto out;

  step = remote_step_new (target,
                          g_strdup_printf (
                            "if command -v firewall-cmd >/dev/null && firewall-cmd --state "
                            ">/dev/null 2>&1; then "
                            "if firewall-cmd --query-service=nfs >/dev/null; then "
                            "echo 'unchanged: firewalld already allows nfs'; "
                            "else firewall-cmd --permanent --add-service=nfs >/dev/null "
                            "&& firewall-cmd --reload >/dev/null "
                            "&& echo 'changed: firewalld allows nfs (TCP 2049)'; fi; "
                            "elif command -v ufw >/dev/null && ufw status | grep -q 'Status: "
                            "active'; then ufw allow from %s to any port 2049 proto tcp "
                            ">/dev/null && echo 'changed: ufw allows TCP 2049 from %s'; "
                            "else echo 'unchanged: no firewalld or ufw is active; make sure "
                            "TCP 2049 is open'; fi", qnet, plan->network),
                          g_strdup_printf (
                            "if command -v firewall-cmd >/dev/null && firewall-cmd --state "
                            ">/dev/null 2>&1; then firewall-cmd --permanent "
                            "--remove-service=nfs >/dev/null && firewall-cmd --reload; "
                            "elif command -v ufw >/dev/null; then ufw delete allow from %s to any "
                            "port 2049 proto tcp; fi", qnet));
  if (!mw_setup_journal_run (journal, _("open TCP 2049 in the firewall"), remote_step_run,
                             remote_step_undo, step, remote_step_free, cancellable, error))
    goto out;

  step = remote_step_new (target, g_strdup ("showmount -e localhost"), NULL);
  step->expect = g_strdup (plan->export_path);
  if (!mw_setup_journal_run (journal, _("check the export (showmount -e)"), remote_step_run,
                             NULL, step, remote_step_free, cancellable, error))
    goto out;

  ok = TRUE;

out:
  if (steps != NULL)
    *steps = mw_setup_journal_dup_steps (journal);
  return ok;
}

/* The pool on one host */

typedef struct
{
  virConnectPtr conn;           /* borrowed: the caller keeps it open for the journal's life */
  MwNfsPlan *plan;
  char *xml;
  virStoragePoolPtr pool;
  gboolean existed;             /* same name, same source and path: reused as it is */
  gboolean was_active;
  gboolean was_autostart;
} PoolContext;

static void
pool_context_free (gpointer data)
{
  PoolContext *context = data;

  if (context->pool != NULL)
    virStoragePoolFree (context->pool);
  mw_nfs_plan_free (context->plan);
  g_free (context->xml);
  g_free (context);
}

static gboolean
same_dir (const char *a,
          const char *b)
{
  g_autofree char *x = g_strdup (a != NULL ? a : "");
  g_autofree char *y = g_strdup (b != NULL ? b : "");

  while (strlen (x) > 1 && g_str_has_suffix (x, "/"))
    x[strlen (x) - 1] = '\0';
  while (strlen (y) > 1 && g_str_has_suffix (y, "/"))
    y[strlen (y) - 1] = '\0';
  return g_str_equal (x, y);
}

static gboolean
pool_lookup_run (gpointer       data,
                 gboolean      *changed,
                 char         **note,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PoolContext *context = data;
  virStoragePoolPtr pool = virStoragePoolLookupByName (context->conn, context->plan->pool_name);
  g_autofree char *xml = NULL;
  g_autoptr(GVirConfigStoragePool) config = NULL;
  GVirConfigStoragePoolSource *source;
  GVirConfigStoragePoolTarget *target;
  const char *host = NULL;
  g_autofree char *dir_owned = NULL;
  const char *dir = NULL;
  const char *path = NULL;
  int autostart = 0;

  if (pool == NULL)
    {
      virErrorPtr last = virGetLastError ();

      if (last != NULL && last->code != VIR_ERR_NO_STORAGE_POOL)
        {
          mw_libvirt_set_error (error, NULL);
          return FALSE;
        }
      virResetLastError ();
      *note = g_strdup (_("no such pool yet"));
      return TRUE;
    }

  {
    char *raw = virStoragePoolGetXMLDesc (pool, VIR_STORAGE_XML_INACTIVE);

    /* the test driver refuses the flag; the live definition says the same here */
    if (raw == NULL)
      {
        virResetLastError ();
        raw = virStoragePoolGetXMLDesc (pool, 0);
      }
    xml = g_strdup (raw);
    free (raw);
  }
  if (xml == NULL)
    {
      mw_libvirt_set_error (error, NULL);
      virStoragePoolFree (pool);
      return FALSE;
    }
  config = gvir_config_storage_pool_new_from_xml (xml, error);
  if (config == NULL)
    {
      virStoragePoolFree (pool);
      return FALSE;
    }
  source = gvir_config_storage_pool_get_source (config);
  target = gvir_config_storage_pool_get_target (config);
  if (source != NULL)
    {
      host = gvir_config_storage_pool_source_get_host (source);
      /* its get_directory reads <directory>, see fix_source_dir */
      dir_owned = mw_setup_xml_find_attribute (xml, "dir", "path", NULL);
      dir = dir_owned;
    }
  if (target != NULL)
    path = gvir_config_storage_pool_target_get_path (target);

  if (gvir_config_storage_pool_get_pool_type (config) != GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS
      || g_strcmp0 (host, context->plan->server) != 0
      || !same_dir (dir, context->plan->export_path)
      || !same_dir (path, context->plan->target_path))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT,
                   _("a pool named “%s” already exists with source %s:%s at %s; it was left as "
                     "it is (choose another pool name, or remove it yourself)"),
                   context->plan->pool_name, host != NULL ? host : "-", dir != NULL ? dir : "-",
                   path != NULL ? path : "-");
      g_clear_object (&source);
      g_clear_object (&target);
      virStoragePoolFree (pool);
      return FALSE;
    }
  g_clear_object (&source);
  g_clear_object (&target);

  context->pool = pool;
  context->existed = TRUE;
  context->was_active = virStoragePoolIsActive (pool) == 1;
  if (virStoragePoolGetAutostart (pool, &autostart) == 0)
    context->was_autostart = autostart != 0;
  *note = g_strdup (_("already defined the same way: reused"));
  return TRUE;
}

static gboolean
pool_define_run (gpointer       data,
                 gboolean      *changed,
                 char         **note,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PoolContext *context = data;

  if (context->existed)
    return TRUE;
  context->pool = virStoragePoolDefineXML (context->conn, context->xml, 0);
  if (context->pool == NULL)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
pool_define_undo (gpointer   data,
                  GError   **error)
{
  PoolContext *context = data;

  if (virStoragePoolUndefine (context->pool) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pool_build_run (gpointer       data,
                gboolean      *changed,
                char         **note,
                GCancellable  *cancellable,
                GError       **error)
{
  PoolContext *context = data;

  if (context->existed)
    return TRUE;
  /* netfs: creates the mount directory */
  if (virStoragePoolBuild (context->pool, 0) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
pool_build_undo (gpointer   data,
                 GError   **error)
{
  PoolContext *context = data;

  /* netfs: removes the (empty) mount directory the build made */
  if (virStoragePoolDelete (context->pool, 0) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pool_autostart_run (gpointer       data,
                    gboolean      *changed,
                    char         **note,
                    GCancellable  *cancellable,
                    GError       **error)
{
  PoolContext *context = data;

  if (context->existed && context->was_autostart)
    return TRUE;
  if (virStoragePoolSetAutostart (context->pool, 1) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
pool_autostart_undo (gpointer   data,
                     GError   **error)
{
  PoolContext *context = data;

  if (virStoragePoolSetAutostart (context->pool, 0) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pool_start_run (gpointer       data,
                gboolean      *changed,
                char         **note,
                GCancellable  *cancellable,
                GError       **error)
{
  PoolContext *context = data;

  if (virStoragePoolIsActive (context->pool) == 1)
    return TRUE;
  if (virStoragePoolCreate (context->pool, 0) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      if (error != NULL && *error != NULL
          && strstr ((*error)->message, "unknown filesystem type 'nfs'") != NULL)
        {
          g_autofree char *libvirt_text = g_strdup ((*error)->message);
          GError *plain;

          /* one line: libvirt appends mount's multi-line output */
          g_strdelimit (g_strstrip (libvirt_text), "\n", ' ');
          plain = g_error_new (MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED,
                               _("mount: unknown filesystem type 'nfs' (this host cannot mount "
                                 "NFS: it needs nfs-common and a kernel with the NFS client) — "
                                 "libvirt said: %s"), libvirt_text);
          g_clear_error (error);
          g_propagate_error (error, plain);
        }
      return FALSE;
    }
  *changed = TRUE;
  return TRUE;
}

static gboolean
pool_start_undo (gpointer   data,
                 GError   **error)
{
  PoolContext *context = data;

  if (virStoragePoolDestroy (context->pool) < 0)
    {
      mw_libvirt_set_error (error, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
define_pool_with_journal (const MwNfsPlan *plan,
                          virConnectPtr    conn,
                          MwSetupJournal  *journal,
                          GCancellable    *cancellable,
                          GError         **error)
{
  PoolContext *context = g_new0 (PoolContext, 1);

  context->conn = conn;
  context->plan = mw_nfs_plan_copy (plan);
  context->xml = mw_nfs_plan_get_pool_xml (plan);

  /* The first step owns the context; later steps borrow it (the journal frees steps only when
   * it goes). */
  return mw_setup_journal_run (journal, _("look for a pool of that name"), pool_lookup_run,
                               NULL, context, pool_context_free, cancellable, error)
         && mw_setup_journal_run (journal, _("define the pool"), pool_define_run,
                                  pool_define_undo, context, NULL, cancellable, error)
         && mw_setup_journal_run (journal, _("build the pool"), pool_build_run, pool_build_undo,
                                  context, NULL, cancellable, error)
         && mw_setup_journal_run (journal, _("mark the pool to start at boot"),
                                  pool_autostart_run, pool_autostart_undo, context, NULL,
                                  cancellable, error)
         && mw_setup_journal_run (journal, _("start the pool"), pool_start_run, pool_start_undo,
                                  context, NULL, cancellable, error);
}

/* Cross-host check */

static void
set_host_error (GError    **error,
                const char *host,
                const char *step)
{
  g_autoptr(GError) libvirt_error = NULL;

  mw_libvirt_set_error (&libvirt_error, NULL);
  g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", host, step,
               libvirt_error->message);
}

gboolean
mw_storage_verify_shared (const char    *pool_name,
                          virConnectPtr  a,
                          const char    *a_label,
                          virConnectPtr  b,
                          const char    *b_label,
                          GError       **error)
{
  g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  g_autofree char *name = g_strdup_printf ("migwizard-check-%08x.raw", g_random_int ());
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool_a = NULL;
  virStoragePoolPtr pool_b = NULL;
  virStorageVolPtr vol_a = NULL;
  virStorageVolPtr vol_b = NULL;
  gboolean ok = FALSE;

  gvir_config_storage_vol_set_name (config, name);
  gvir_config_storage_vol_set_capacity (config, VERIFY_VOLUME_BYTES);
  gvir_config_storage_vol_set_allocation (config, VERIFY_VOLUME_BYTES);
  gvir_config_storage_vol_target_set_format (target, "raw");
  gvir_config_storage_vol_set_target (config, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  pool_a = virStoragePoolLookupByName (a, pool_name);
  if (pool_a == NULL)
    {
      set_host_error (error, a_label, _("find the pool"));
      goto out;
    }
  vol_a = virStorageVolCreateXML (pool_a, xml, 0);
  if (vol_a == NULL)
    {
      set_host_error (error, a_label, _("create a 1 MiB test volume"));
      goto out;
    }

  pool_b = virStoragePoolLookupByName (b, pool_name);
  if (pool_b == NULL)
    {
      set_host_error (error, b_label, _("find the pool"));
      goto out;
    }
  if (virStoragePoolRefresh (pool_b, 0) < 0)
    {
      set_host_error (error, b_label, _("refresh the pool"));
      goto out;
    }
  vol_b = virStorageVolLookupByName (pool_b, name);
  if (vol_b == NULL)
    {
      virResetLastError ();
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_NOT_FOUND,
                   _("%s: see the test volume: %s made %s in pool “%s”, but %s does not see it: "
                     "the pool is not shared storage"),
                   b_label, a_label, name, pool_name, b_label);
      goto out;
    }
  ok = TRUE;

out:
  if (vol_a != NULL)
    {
      if (virStorageVolDelete (vol_a, 0) < 0)
        {
          g_autoptr(GError) delete_error = NULL;

          set_host_error (&delete_error, a_label, _("delete the test volume"));
          if (ok)
            g_propagate_error (error, g_steal_pointer (&delete_error));
          ok = FALSE;
        }
      virStorageVolFree (vol_a);
    }
  if (vol_b != NULL)
    virStorageVolFree (vol_b);
  if (pool_b != NULL)
    {
      virStoragePoolRefresh (pool_b, 0);
      virStoragePoolFree (pool_b);
    }
  if (pool_a != NULL)
    virStoragePoolFree (pool_a);
  virResetLastError ();
  return ok;
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  char *raw = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(GVirConfigStoragePool) config = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  char *path = NULL;

  if (raw == NULL)
    {
      virResetLastError ();
      return NULL;
    }
  config = gvir_config_storage_pool_new_from_xml (raw, NULL);
  free (raw);
  if (config == NULL)
    return NULL;
  target = gvir_config_storage_pool_get_target (config);
  if (target != NULL)
    path = g_strdup (gvir_config_storage_pool_target_get_path (target));
  return path;
}

char *
mw_storage_find_common_pool (virConnectPtr  a,
                             virConnectPtr  b,
                             const char    *exclude)
{
  virStoragePoolPtr *pools = NULL;
  char *found = NULL;
  int n;

  n = virConnectListAllStoragePools (a, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  if (n < 0)
    {
      virResetLastError ();
      return NULL;
    }
  for (int i = 0; i < n; i++)
    {
      const char *name = virStoragePoolGetName (pools[i]);
      g_autofree char *path_a = NULL;
      g_autofree char *path_b = NULL;
      virStoragePoolPtr other;

      if (found == NULL && g_strcmp0 (name, exclude) != 0
          && (other = virStoragePoolLookupByName (b, name)) != NULL)
        {
          path_a = pool_target_path (pools[i]);
          path_b = pool_target_path (other);
          /* Same name and path is what a shared pool looks like, but two local directories
           * look the same: only a volume made on one host and seen from the other proves it. */
          if (path_a != NULL && path_b != NULL && same_dir (path_a, path_b)
              && virStoragePoolIsActive (other) == 1
              && strcmp (path_a, "/var/lib/libvirt/images") != 0
              && mw_storage_verify_shared (name, a, "a", b, "b", NULL))
            found = g_strdup_printf ("%s\t%s", name, path_a);
          virStoragePoolFree (other);
        }
      virStoragePoolFree (pools[i]);
    }
  free (pools);
  virResetLastError ();
  return found;
}

/* Both hosts */

void
mw_pool_setup_result_free (MwPoolSetupResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->steps, g_ptr_array_unref);
  g_free (result->error_a);
  g_free (result->error_b);
  g_free (result->verify_error);
  g_free (result->fallback_pool);
  g_free (result->fallback_path);
  g_free (result);
}

gboolean
mw_pool_setup_result_ok (const MwPoolSetupResult *result)
{
  return result->error_a == NULL && result->error_b == NULL && result->verified;
}

char *
mw_pool_setup_result_to_string (const MwPoolSetupResult *result)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < result->steps->len; i++)
    {
      g_autofree char *line = mw_setup_step_to_string (g_ptr_array_index (result->steps, i));

      g_string_append_printf (text, "%s\n", line);
    }
  if (result->error_a != NULL)
    g_string_append_printf (text, _("Failed: %s\n"), result->error_a);
  if (result->error_b != NULL)
    g_string_append_printf (text, _("Failed: %s\n"), result->error_b);
  if (result->verified)
    g_string_append (text, _("Verified: a volume made on the first host was seen on the "
                             "second.\n"));
  else if (result->verify_error != NULL)
    g_string_append_printf (text, _("Not verified: %s\n"), result->verify_error);
  if (result->fallback_pool != NULL)
    g_string_append_printf (text, _("Using instead: pool “%s” at %s, which both hosts already "
                                    "share.\n"), result->fallback_pool, result->fallback_path);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
append_steps (GPtrArray      *all,
              MwSetupJournal *journal)
{
  GPtrArray *steps = mw_setup_journal_get_steps (journal);

  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (all, mw_setup_step_copy (g_ptr_array_index (steps, i)));
}

MwPoolSetupResult *
mw_nfs_setup_pools (const MwNfsPlan *plan,
                    const char      *uri_a,
                    const char      *uri_b,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(MwPoolSetupResult) result = g_new0 (MwPoolSetupResult, 1);
  g_autofree char *label_a = mw_setup_host_label (uri_a);
  g_autofree char *label_b = mw_setup_host_label (uri_b);
  g_autoptr(MwSetupJournal) journal_a = NULL;
  g_autoptr(MwSetupJournal) journal_b = NULL;
  g_autoptr(GError) local_error = NULL;
  virConnectPtr a = NULL;
  virConnectPtr b = NULL;
  char *common;

  g_return_val_if_fail (plan != NULL && uri_a != NULL && uri_b != NULL, NULL);

  if (!mw_nfs_plan_validate (plan, error))
    return NULL;

  if (g_str_equal (label_a, label_b))
    {
      g_free (label_b);
      label_b = g_strdup_printf ("%s (2)", label_a);
    }

  a = mw_check_open_connection (uri_a, &local_error);
  if (a == NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", label_a,
                   _("connect"), local_error->message);
      return NULL;
    }
  b = mw_check_open_connection (uri_b, &local_error);
  if (b == NULL)
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_FAILED, "%s: %s: %s", label_b,
                   _("connect"), local_error->message);
      virConnectClose (a);
      return NULL;
    }

  result->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_setup_step_free);
  journal_a = mw_setup_journal_new (label_a);
  journal_b = mw_setup_journal_new (label_b);

  /* Each host on its own: a failure on one leaves that host as it was and does not stop the
   * other, so the user sees both hosts' answers at once. */
  if (!define_pool_with_journal (plan, a, journal_a, cancellable, &local_error))
    {
      result->error_a = g_strdup (local_error->message);
      g_clear_error (&local_error);
    }
  if (!define_pool_with_journal (plan, b, journal_b, cancellable, &local_error))
    {
      result->error_b = g_strdup (local_error->message);
      g_clear_error (&local_error);
    }

  if (result->error_a == NULL && result->error_b == NULL)
    {
      if (mw_storage_verify_shared (plan->pool_name, a, label_a, b, label_b, &local_error))
        result->verified = TRUE;
      else
        result->verify_error = g_strdup (local_error->message);
    }

  append_steps (result->steps, journal_a);
  append_steps (result->steps, journal_b);

  if (!result->verified)
    {
      common = mw_storage_find_common_pool (a, b, plan->pool_name);
      if (common != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (common, "\t", 2);

          result->fallback_pool = g_strdup (parts[0]);
          result->fallback_path = g_strdup (parts[1]);
          g_free (common);
        }
    }

  /* The journals hold pool handles of these connections: free them first. */
  g_clear_pointer (&journal_a, mw_setup_journal_free);
  g_clear_pointer (&journal_b, mw_setup_journal_free);
  virConnectClose (a);
  virConnectClose (b);
  return g_steal_pointer (&result);
}

typedef struct
{
  MwNfsPlan *plan;
  char *uri_a;
  char *uri_b;
} PoolsTaskData;

static void
pools_task_data_free (gpointer data)
{
  PoolsTaskData *task_data = data;

  mw_nfs_plan_free (task_data->plan);
  g_free (task_data->uri_a);
  g_free (task_data->uri_b);
  g_free (task_data);
}

static void
setup_pools_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      data,
                    GCancellable *cancellable)
{
  PoolsTaskData *task_data = data;
  GError *error = NULL;
  MwPoolSetupResult *result;

  result = mw_nfs_setup_pools (task_data->plan, task_data->uri_a, task_data->uri_b, cancellable,
                               &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) mw_pool_setup_result_free);
}

void
mw_nfs_setup_pools_async (const MwNfsPlan     *plan,
                          const char          *uri_a,
                          const char          *uri_b,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PoolsTaskData *task_data = g_new0 (PoolsTaskData, 1);

  task_data->plan = mw_nfs_plan_copy (plan);
  task_data->uri_a = g_strdup (uri_a);
  task_data->uri_b = g_strdup (uri_b);
  g_task_set_source_tag (task, mw_nfs_setup_pools_async);
  g_task_set_task_data (task, task_data, pools_task_data_free);
  g_task_run_in_thread (task, setup_pools_thread);
}

MwPoolSetupResult *
mw_nfs_setup_pools_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_nfs_setup_pools_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GPtrArray *steps;
  GError *error;
} ServerOutcome;

static void
server_outcome_free (gpointer data)
{
  ServerOutcome *outcome = data;

  g_clear_pointer (&outcome->steps, g_ptr_array_unref);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

static void
apply_server_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      data,
                     GCancellable *cancellable)
{
  ServerOutcome *outcome = g_new0 (ServerOutcome, 1);

  mw_nfs_apply_server (data, cancellable, &outcome->steps, &outcome->error);
  if (outcome->steps == NULL)
    outcome->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) mw_setup_step_free);
  g_task_return_pointer (task, outcome, server_outcome_free);
}

void
mw_nfs_apply_server_async (const MwNfsPlan     *plan,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mw_nfs_apply_server_async);
  g_task_set_task_data (task, mw_nfs_plan_copy (plan), (GDestroyNotify) mw_nfs_plan_free);
  g_task_run_in_thread (task, apply_server_thread);
}

GPtrArray *
mw_nfs_apply_server_finish (GAsyncResult  *result,
                            GPtrArray    **steps,
                            GError       **error)
{
  ServerOutcome *outcome;
  GPtrArray *done;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mw_nfs_apply_server_async,
                        NULL);

  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL)
    return NULL;
  done = g_ptr_array_ref (outcome->steps);
  if (steps != NULL)
    *steps = g_ptr_array_ref (outcome->steps);
  if (outcome->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&outcome->error));
      g_ptr_array_unref (done);
      done = NULL;
    }
  server_outcome_free (outcome);
  return done;
}
