/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-nfs-plan.c: the NFS plan (mw-storage-setup.h): checking it, and rendering it as the
 * exports line, the server's commands, the text for people and the netfs pool's XML.
 *
 * Threads: pure, any thread. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mw-migration-options.h"
#include "mw-storage-setup.h"
#include "mw-text.h"
#include "mw-uri.h"
#include "mw-shell.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)

G_DEFINE_BOXED_TYPE (MwNfsPlan, mw_nfs_plan, mw_nfs_plan_copy, mw_nfs_plan_free)

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
  if (path == NULL || path[0] != '/' || !g_utf8_validate (path, -1, NULL))
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

  /* A leading '-' would reach ufw and exportfs as an option. */
  if (network == NULL || *network == '\0' || *network == '-')
    return FALSE;
  if (strchr (network, '/') != NULL)
    {
      const char *length = strchr (network, '/') + 1;
      guint64 bits = 0;

      /* GLib warns (a critical under fatal-warnings) instead of failing for a length such as
       * /2424: only a plain number up to 128 reaches it. */
      if (strspn (length, "0123456789") != strlen (length)
          || !g_ascii_string_to_unsigned (length, 10, 0, 128, &bits, NULL))
        return FALSE;
      mask = g_inet_address_mask_new_from_string (network, NULL);
      return mask != NULL;
    }
  /* A single host or a name pattern such as *.lab.example. */
  for (const char *p = network; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (".-:*?", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Where the operating system lives: exporting it (or anything in it) read-write with
 * no_root_squash hands the server to every host that may mount it. */
static const char * const system_dirs[] = {
  "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root",
  "/run", "/sbin", "/sys", "/usr", NULL
};
/* Whole top-level directories that hold other people's data. */
static const char * const broad_dirs[] = {
  "/home", "/media", "/mnt", "/opt", "/srv", "/tmp", "/var", NULL
};

/* The export path as the server will see it: no "//", "/./" or trailing "/". */
static char *
canonical_export (const char *path)
{
  char *canonical = g_canonicalize_filename (path, "/");

  /* g_canonicalize_filename keeps POSIX's leading "//"; Linux reads it as "/". */
  if (g_str_has_prefix (canonical, "//"))
    memmove (canonical, canonical + 1, strlen (canonical));
  return canonical;
}

static gboolean
is_in_system_dir (const char *canonical)
{
  for (guint i = 0; system_dirs[i] != NULL; i++)
    {
      size_t n = strlen (system_dirs[i]);

      if (strncmp (canonical, system_dirs[i], n) == 0
          && (canonical[n] == '\0' || canonical[n] == '/'))
        return TRUE;
    }
  return FALSE;
}

/* Everyone: "*" (or a pattern of only wildcards), or a network with a /0 mask. */
static gboolean
is_everyone (const char *network)
{
  g_autoptr(GInetAddressMask) mask = NULL;

  if (strspn (network, "*?") == strlen (network))
    return TRUE;
  if (strchr (network, '/') == NULL)
    return FALSE;
  mask = g_inet_address_mask_new_from_string (network, NULL);
  return mask != NULL && g_inet_address_mask_get_length (mask) == 0;
}

static gboolean
is_valid_pool_name (const char *name)
{
  return mw_setup_is_plain_name (name) && *name != '.';
}

gboolean
mw_nfs_plan_validate (const MwNfsPlan *self,
                      GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->server == NULL || !mw_uri_validate_host (self->server, NULL))
    {
      mw_set_error_quoting (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                            _("“%s” is not a host name or address for the NFS server."),
                            self->server);
      return FALSE;
    }
  if (!is_plain_absolute_path (self->export_path))
    {
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                   _("The export path must be an absolute path without spaces or quotes."));
      return FALSE;
    }
  {
    g_autofree char *canonical = canonical_export (self->export_path);

    if (g_str_equal (canonical, "/"))
      {
        g_set_error_literal (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                             _("Exporting / would give every host that mounts it root access to "
                               "the server’s whole file system (no_root_squash). Export a "
                               "directory of its own, such as /srv/vmstore."));
        return FALSE;
      }
    if (is_in_system_dir (canonical))
      {
        g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                     _("%s belongs to the server’s operating system: exported with root access "
                       "(no_root_squash), any host that mounts it could change the system. "
                       "Export a directory of its own, such as /srv/vmstore."),
                     canonical);
        return FALSE;
      }
  }
  if (!is_valid_network (self->network))
    {
      mw_set_error_quoting (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                            _("“%s” is not a network such as 10.78.0.0/24 or a host name."),
                            self->network);
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
      mw_set_error_quoting (error, MW_SETUP_ERROR, MW_SETUP_ERROR_INVALID,
                            _("“%s” is not a user name ssh can use."), self->ssh_user);
      return FALSE;
    }
  return TRUE;
}

GStrv
mw_nfs_plan_get_warnings (const MwNfsPlan *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  if (self->network != NULL && *self->network != '\0' && is_everyone (self->network))
    {
      g_autofree char *text =
        g_strdup_printf (_("“%s” lets any computer that reaches the server mount the export, "
                           "with root access to the guests’ disks (no_root_squash). Give the "
                           "hosts’ network instead, such as 10.78.0.0/24."), self->network);

      g_strv_builder_add (builder, text);
    }
  if (self->export_path != NULL && self->export_path[0] == '/')
    {
      g_autofree char *canonical = canonical_export (self->export_path);

      if (g_strv_contains (broad_dirs, canonical))
        {
          g_autofree char *text =
            g_strdup_printf (_("%s is a whole top-level directory: every host that mounts it "
                               "gets root access to all of it (no_root_squash). Export a "
                               "directory of its own, such as /srv/vmstore."), canonical);

          g_strv_builder_add (builder, text);
        }
    }
  return g_strv_builder_end (builder);
}

MwSshTarget *
mw_nfs_plan_get_ssh_target (const MwNfsPlan  *self,
                            GError          **error)
{
  g_autofree char *login = NULL;

  g_return_val_if_fail (self != NULL && self->server != NULL, NULL);

  login = mw_setup_ssh_login (self->ssh_user, self->server);
  return mw_ssh_target_parse (login, error);
}

char *
mw_nfs_plan_get_exports_line (const MwNfsPlan *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("%s %s(%s)", self->export_path, self->network, MW_NFS_EXPORT_OPTIONS);
}

char *
mw_nfs_plan_get_firewall_source (const MwNfsPlan *self)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GInetAddressMask) mask = NULL;

  g_return_val_if_fail (self != NULL && self->network != NULL, NULL);

  /* ufw takes an address or a network, never a name or a pattern */
  if (is_everyone (self->network))
    return g_strdup ("any");
  if (strchr (self->network, '/') != NULL)
    mask = g_inet_address_mask_new_from_string (self->network, NULL);
  else
    address = g_inet_address_new_from_string (self->network);
  if (mask == NULL && address == NULL)
    return g_strdup ("any");
  return g_strdup (self->network);
}

GStrv
mw_nfs_plan_get_server_commands (const MwNfsPlan *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *line = mw_nfs_plan_get_exports_line (self);
  g_autofree char *qline = mw_shell_quote (line);
  g_autofree char *qpath = mw_shell_quote (self->export_path);
  g_autofree char *source = mw_nfs_plan_get_firewall_source (self);
  g_autofree char *qnet = mw_shell_quote (source);
  g_autofree char *mkdir_line = g_strdup_printf ("mkdir -p %s", qpath);
  g_autofree char *append_line = g_strdup_printf ("echo %s >> /etc/exports", qline);
  g_autofree char *ufw_line = g_strdup_printf ("ufw allow from %s to any port 2049 proto tcp",
                                               qnet);

  g_strv_builder_add_many (builder, mkdir_line, append_line, "exportfs -r",
                           "firewall-cmd --permanent --add-service=nfs && firewall-cmd --reload",
                           ufw_line, "showmount -e localhost", NULL);
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
  g_autofree char *source = mw_nfs_plan_get_firewall_source (self);

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
          || g_str_has_prefix (commands[i], "showmount") || g_str_has_prefix (commands[i], "echo "))
        continue;
      g_string_append_printf (text, "   %s\n", commands[i]);
    }
  g_string_append (text, _("\n3. Firewall: allow TCP 2049 (NFSv4) from the hosts:\n"));
  for (guint i = 0; commands[i] != NULL; i++)
    if (g_str_has_prefix (commands[i], "firewall-cmd") || g_str_has_prefix (commands[i], "ufw"))
      g_string_append_printf (text, "   %s\n", commands[i]);
  g_string_append (text, _("   (firewalld or ufw, whichever the server runs; NFSv3 also needs "
                           "rpcbind 111 and mountd.)\n"));
  if (g_strcmp0 (source, self->network) != 0)
    g_string_append (text, _("   (ufw takes addresses only, so the port is opened to any host; "
                             "/etc/exports still decides who may mount.)\n"));
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

