/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-object.c: the journaled steps that set up a libvirt network or storage pool, and the
 * small XML reading both need. Worker threads; one journal, so one thread, per object. */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-setup-object.h"

typedef struct
{
  MwSetupObjectKind kind;
  virConnectPtr conn;               /* borrowed: open as long as the journal lives */
  char *name;
  char *xml;
  const MwSetupObjectSpec *spec;    /* only while mw_setup_object_apply runs */
  virNetworkPtr network;            /* kind NETWORK, once found or defined */
  virStoragePoolPtr pool;           /* kind POOL, likewise */
  gboolean existed;                 /* same name, same definition: reused as it is */
} SetupObject;

static void
drop_handle (SetupObject *self)
{
  if (self->network != NULL)
    virNetworkFree (g_steal_pointer (&self->network));
  if (self->pool != NULL)
    virStoragePoolFree (g_steal_pointer (&self->pool));
}

static void
setup_object_free (gpointer data)
{
  SetupObject *self = data;

  drop_handle (self);
  g_free (self->name);
  g_free (self->xml);
  g_free (self);
}

static gboolean
is_network (const SetupObject *self)
{
  return self->kind == MW_SETUP_OBJECT_NETWORK;
}

/* The end of a step that made one libvirt call: status < 0 is its failure, anything else a
 * change to the host. */
static gboolean
finish_call (SetupObject  *self,
             int           status,
             gboolean     *changed,
             GError      **error)
{
  if (status < 0)
    {
      mw_libvirt_set_error (error, NULL);
      if (self->spec != NULL && self->spec->explain != NULL)
        self->spec->explain (error);
      return FALSE;
    }
  if (changed != NULL)
    *changed = TRUE;
  return TRUE;
}

/* The stored definition; the test driver refuses the INACTIVE flag, and then the live one says
 * the same. */
static char *
get_definition (SetupObject *self)
{
  char *raw = is_network (self) ? virNetworkGetXMLDesc (self->network, VIR_NETWORK_XML_INACTIVE)
                                : virStoragePoolGetXMLDesc (self->pool, VIR_STORAGE_XML_INACTIVE);
  char *xml;

  if (raw == NULL)
    {
      virResetLastError ();
      raw = is_network (self) ? virNetworkGetXMLDesc (self->network, 0)
                              : virStoragePoolGetXMLDesc (self->pool, 0);
    }
  xml = g_strdup (raw);
  free (raw);
  return xml;
}

static gboolean
lookup_run (gpointer       data,
            gboolean      *changed,
            char         **note,
            GCancellable  *cancellable,
            GError       **error)
{
  SetupObject *self = data;
  g_autofree char *xml = NULL;
  gboolean found;

  if (is_network (self))
    found = (self->network = virNetworkLookupByName (self->conn, self->name)) != NULL;
  else
    found = (self->pool = virStoragePoolLookupByName (self->conn, self->name)) != NULL;
  if (!found)
    {
      if (!mw_libvirt_last_error_is (is_network (self) ? VIR_ERR_NO_NETWORK
                                                       : VIR_ERR_NO_STORAGE_POOL))
        return finish_call (self, -1, NULL, error);
      virResetLastError ();
      if (!is_network (self))
        *note = g_strdup (_("no such pool yet"));
      return TRUE;
    }

  xml = get_definition (self);
  if (xml == NULL ? !finish_call (self, -1, NULL, error)
                  : !self->spec->match (self->spec, xml, error))
    {
      drop_handle (self);
      return FALSE;
    }
  self->existed = TRUE;
  *note = g_strdup (_("already defined the same way: reused"));
  return TRUE;
}

static gboolean
define_run (gpointer       data,
            gboolean      *changed,
            char         **note,
            GCancellable  *cancellable,
            GError       **error)
{
  SetupObject *self = data;
  gboolean defined;

  if (self->existed)
    return TRUE;
  if (is_network (self))
    defined = (self->network = virNetworkDefineXML (self->conn, self->xml)) != NULL;
  else
    defined = (self->pool = virStoragePoolDefineXML (self->conn, self->xml, 0)) != NULL;
  return finish_call (self, defined ? 0 : -1, changed, error);
}

static gboolean
define_undo (gpointer   data,
             GError   **error)
{
  SetupObject *self = data;

  return finish_call (self, is_network (self) ? virNetworkUndefine (self->network)
                                              : virStoragePoolUndefine (self->pool),
                      NULL, error);
}

/* netfs: creates the mount directory */
static gboolean
build_run (gpointer       data,
           gboolean      *changed,
           char         **note,
           GCancellable  *cancellable,
           GError       **error)
{
  SetupObject *self = data;

  g_assert (!is_network (self));

  if (self->existed)
    return TRUE;
  return finish_call (self, virStoragePoolBuild (self->pool, 0), changed, error);
}

/* netfs: removes the (empty) mount directory the build made */
static gboolean
build_undo (gpointer   data,
            GError   **error)
{
  SetupObject *self = data;

  return finish_call (self, virStoragePoolDelete (self->pool, 0), NULL, error);
}

static int
set_autostart (SetupObject *self,
               int          autostart)
{
  return is_network (self) ? virNetworkSetAutostart (self->network, autostart)
                           : virStoragePoolSetAutostart (self->pool, autostart);
}

static gboolean
autostart_run (gpointer       data,
               gboolean      *changed,
               char         **note,
               GCancellable  *cancellable,
               GError       **error)
{
  SetupObject *self = data;
  int autostart = 0;

  if ((is_network (self) ? virNetworkGetAutostart (self->network, &autostart)
                         : virStoragePoolGetAutostart (self->pool, &autostart)) == 0
      && autostart)
    return TRUE;
  return finish_call (self, set_autostart (self, 1), changed, error);
}

static gboolean
autostart_undo (gpointer   data,
                GError   **error)
{
  return finish_call (data, set_autostart (data, 0), NULL, error);
}

static gboolean
start_run (gpointer       data,
           gboolean      *changed,
           char         **note,
           GCancellable  *cancellable,
           GError       **error)
{
  SetupObject *self = data;

  if ((is_network (self) ? virNetworkIsActive (self->network)
                         : virStoragePoolIsActive (self->pool)) == 1)
    return TRUE;
  return finish_call (self, is_network (self) ? virNetworkCreate (self->network)
                                              : virStoragePoolCreate (self->pool, 0),
                      changed, error);
}

static gboolean
start_undo (gpointer   data,
            GError   **error)
{
  SetupObject *self = data;

  return finish_call (self, is_network (self) ? virNetworkDestroy (self->network)
                                              : virStoragePoolDestroy (self->pool),
                      NULL, error);
}

static const MwSetupAction network_actions[] = {
  { N_("look for a network of that name"), lookup_run, NULL },
  { N_("define the network"), define_run, define_undo },
  { N_("mark the network to start at boot"), autostart_run, autostart_undo },
  { N_("start the network"), start_run, start_undo },
};

static const MwSetupAction pool_actions[] = {
  { N_("look for a pool of that name"), lookup_run, NULL },
  { N_("define the pool"), define_run, define_undo },
  { N_("build the pool"), build_run, build_undo },
  { N_("mark the pool to start at boot"), autostart_run, autostart_undo },
  { N_("start the pool"), start_run, start_undo },
};

gboolean
mw_setup_object_apply (MwSetupJournal           *journal,
                       virConnectPtr             conn,
                       const MwSetupObjectSpec  *spec,
                       GCancellable             *cancellable,
                       GError                  **error)
{
  SetupObject *self;
  gboolean ok;

  g_return_val_if_fail (journal != NULL && conn != NULL, FALSE);
  g_return_val_if_fail (spec != NULL && spec->name != NULL && spec->xml != NULL, FALSE);
  g_return_val_if_fail (spec->match != NULL, FALSE);

  self = g_new0 (SetupObject, 1);
  self->kind = spec->kind;
  self->conn = conn;
  self->name = g_strdup (spec->name);
  self->xml = g_strdup (spec->xml);
  self->spec = spec;

  /* The journal owns self from here on, and keeps it for a later rollback. */
  if (is_network (self))
    ok = mw_setup_journal_run_all (journal, network_actions, G_N_ELEMENTS (network_actions),
                                   self, setup_object_free, cancellable, error);
  else
    ok = mw_setup_journal_run_all (journal, pool_actions, G_N_ELEMENTS (pool_actions), self,
                                   setup_object_free, cancellable, error);
  self->spec = NULL;
  return ok;
}

/* Small XML reading: the first element called `element` anywhere, its attribute `attribute`.
 * For what libvirt-gconfig 4.0 has no (working) getters for. */

typedef struct
{
  const char *element;
  const char *attribute;
  char *value;
  gboolean found;
} AttrSearch;

static void
attr_search_start (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **names,
                   const char          **values,
                   gpointer              user_data,
                   GError              **error)
{
  AttrSearch *search = user_data;

  if (search->found || !g_str_equal (element_name, search->element))
    return;
  search->found = TRUE;
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], search->attribute))
      search->value = g_strdup (values[i]);
}

char *
mw_setup_xml_find_attribute (const char *xml,
                             const char *element,
                             const char *attribute,
                             gboolean   *found)
{
  static const GMarkupParser parser = { attr_search_start, NULL, NULL, NULL, NULL };
  AttrSearch search = { element, attribute, NULL, FALSE };
  GMarkupParseContext *context;

  if (xml == NULL)
    return NULL;
  context = g_markup_parse_context_new (&parser, 0, &search, NULL);
  g_markup_parse_context_parse (context, xml, -1, NULL);
  g_markup_parse_context_free (context);
  if (found != NULL)
    *found = search.found;
  return search.value;
}
