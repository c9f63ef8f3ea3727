/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-uri-title.c: what a URI is called where people read it (virt-manager style titles), and
 * the demo nodes MigWizard ships, which have titles of their own. Pure string work plus reading
 * the demo directory: safe on any thread.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-text.h"
#include "mw-uri.h"

static char *
get_demo_dir (void)
{
  const char *env = g_getenv ("MW_DEMO_DIR");

  if (env != NULL && *env != '\0')
    return g_canonicalize_filename (env, NULL);

  return g_strdup (PKGDATADIR "/demo");
}

static char *
demo_uri_for_path (const char *path)
{
  GString *uri = g_string_new ("test://");

  g_string_append_uri_escaped (uri, path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);
  return g_string_free (uri, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
mw_uri_get_demo_uris (void)
{
  g_autofree char *dir_path = get_demo_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = NULL;

          if (!g_str_has_suffix (name, ".xml"))
            continue;

          path = g_build_filename (dir_path, name, NULL);
          g_ptr_array_add (uris, demo_uri_for_path (path));
        }
    }

  g_ptr_array_sort (uris, compare_strings);
  g_ptr_array_add (uris, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&uris), FALSE);
}

/* A demo URI is a local test driver URI whose node file is an .xml in the demo directory. */
static gboolean
uri_is_demo (const MwUri *uri)
{
  g_autofree char *demo_dir = NULL;
  g_autofree char *file_dir = NULL;

  if (uri->hypervisor != MW_HYPERVISOR_TEST || uri->transport != MW_TRANSPORT_LOCAL
      || uri->path == NULL || !g_str_has_suffix (uri->path, ".xml"))
    return FALSE;

  demo_dir = get_demo_dir ();
  file_dir = g_path_get_dirname (uri->path);

  return g_str_equal (demo_dir, file_dir);
}

gboolean
mw_uri_is_demo (const char *text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (text, NULL);

  return uri != NULL && uri_is_demo (uri);
}

static const char *
hypervisor_title (MwHypervisor hypervisor)
{
  switch (hypervisor)
    {
    case MW_HYPERVISOR_QEMU:
      return _("QEMU/KVM");
    case MW_HYPERVISOR_QEMU_SESSION:
      return _("QEMU/KVM user session");
    case MW_HYPERVISOR_XEN:
      return _("Xen");
    case MW_HYPERVISOR_LXC:
      return _("LXC");
    case MW_HYPERVISOR_TEST:
      return _("Test");
    default:
      g_assert_not_reached ();
    }
}

char *
mw_uri_get_title (const char *text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (text, NULL);
  g_autofree char *base = NULL;

  /* Not a URI: shown as typed, but as valid text of a sane length. */
  if (uri == NULL)
    return mw_text_for_message (text);

  if (uri->hypervisor == MW_HYPERVISOR_TEST && uri->transport == MW_TRANSPORT_LOCAL)
    {
      base = g_path_get_basename (uri->path);
      if (g_str_has_suffix (base, ".xml"))
        base[strlen (base) - strlen (".xml")] = '\0';

      if (uri_is_demo (uri))
        /* Translators: a demo host shipped with MigWizard, e.g. "Demo: hosta" */
        return g_strdup_printf (_("Demo: %s"), base);

      /* Translators: a libvirt test driver connection, e.g. "Test: default" */
      return g_strdup_printf (_("Test: %s"), base);
    }

  if (uri->host != NULL)
    {
      g_autofree char *display_host = g_hostname_to_unicode (uri->host);

      /* Translators: hypervisor and host, e.g. "QEMU/KVM: hostb" */
      return g_strdup_printf (_("%s: %s"), hypervisor_title (uri->hypervisor),
                              display_host != NULL ? display_host : uri->host);
    }

  return g_strdup (hypervisor_title (uri->hypervisor));
}

char *
mw_uri_get_host_label (const char *text)
{
  g_autoptr(MwUri) uri = mw_uri_parse (text, NULL);

  if (uri != NULL && uri->host != NULL)
    return g_strdup (uri->host);
  /* A test-driver node stands for a host of its own: "Demo: hosta". */
  if (uri != NULL && uri->hypervisor == MW_HYPERVISOR_TEST)
    return mw_uri_get_title (text);
  if (uri != NULL && uri->transport == MW_TRANSPORT_LOCAL)
    return g_strdup (_("this computer"));
  return g_strdup (text);
}
