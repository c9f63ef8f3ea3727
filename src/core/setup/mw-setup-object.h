/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-object.h: a libvirt network or storage pool, set up on one host step by step.
 *
 * Both are persistent libvirt objects and are set up the same way, each step recorded in the
 * host's journal (mw-setup-journal.h): look for one of that name (defined the same way: reused
 * as it is; otherwise a MW_SETUP_ERROR_CONFLICT that says how it differs, and nothing is
 * touched), define it, build it (pools only), mark it to start at boot, start it. A failing step
 * undoes what the earlier ones did on that host.
 *
 * Blocking libvirt calls: worker threads only.
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-setup-journal.h"

G_BEGIN_DECLS

typedef enum
{
  MW_SETUP_OBJECT_NETWORK,
  MW_SETUP_OBJECT_POOL,
} MwSetupObjectKind;

typedef struct _MwSetupObjectSpec MwSetupObjectSpec;

/* Whether existing_xml, the definition of the object found under spec->name, is the one the
 * set-up wants; if not, FALSE with MW_SETUP_ERROR_CONFLICT naming the difference. */
typedef gboolean (*MwSetupObjectMatchFunc)   (const MwSetupObjectSpec  *spec,
                                              const char               *existing_xml,
                                              GError                  **error);
/* May replace a libvirt failure with a plainer explanation. */
typedef void     (*MwSetupObjectExplainFunc) (GError                  **error);

struct _MwSetupObjectSpec
{
  MwSetupObjectKind kind;
  const char *name;
  const char *xml;                     /* the definition to create */
  MwSetupObjectMatchFunc match;
  MwSetupObjectExplainFunc explain;    /* NULL: libvirt's own words */
  gconstpointer data;                  /* for match, which only runs within the call */
};

/* Runs the steps in journal. conn must stay open as long as the journal lives: its undo uses
 * it. */
gboolean mw_setup_object_apply       (MwSetupJournal          *journal,
                                      virConnectPtr            conn,
                                      const MwSetupObjectSpec *spec,
                                      GCancellable            *cancellable,
                                      GError                 **error);

/* The first element called `element` anywhere in xml, its attribute `attribute` (NULL when
 * absent); *found (may be NULL) says whether the element exists. For what libvirt-gconfig 4.0
 * cannot read: <interface type>, <forward mode>, <bridge name>, a pool's <dir path>. */
char    *mw_setup_xml_find_attribute (const char              *xml,
                                      const char              *element,
                                      const char              *attribute,
                                      gboolean                *found);

G_END_DECLS
