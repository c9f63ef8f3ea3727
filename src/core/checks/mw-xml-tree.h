/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-xml-tree.h: a small read-only element tree parsed with GMarkup, for the parts of libvirt's
 * XML that libvirt-gconfig 4.0 has no getters for. Pure: safe on any thread.
 *
 * Every lookup takes NULL for "not there" and gives NULL back, so paths chain without checks:
 * mw_xml_attr (mw_xml_child (disk, "driver"), "cache").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MwXmlNode MwXmlNode;

struct _MwXmlNode
{
  char *name;
  GStrv attr_names;
  GStrv attr_values;
  GString *text;
  GPtrArray *children;  /* MwXmlNode */
  MwXmlNode *parent;    /* borrowed */
};

/* Deeper documents are refused: libvirt's own parser stops at 256 levels, and the tree's
 * walks recurse. */
#define MW_XML_MAX_DEPTH 256

/* The document's root element, or NULL with an error. */
MwXmlNode  *mw_xml_parse     (const char  *xml,
                              GError     **error);
void        mw_xml_node_free (gpointer     node);

/* The first child called name. */
MwXmlNode  *mw_xml_child     (MwXmlNode   *node,
                              const char  *name);
/* "os/nvram": the first match at each step. */
MwXmlNode  *mw_xml_path      (MwXmlNode   *node,
                              const char  *path);
const char *mw_xml_attr      (MwXmlNode   *node,
                              const char  *name);
/* The attribute, or fallback when it (or node) is not there. */
const char *mw_xml_attr_or   (MwXmlNode   *node,
                              const char  *name,
                              const char  *fallback);
/* The element's text, stripped; newly allocated. */
char       *mw_xml_text      (MwXmlNode   *node);
/* Whether any element name, attribute value or text under node contains needle, which must be
 * in lower case (the comparison ignores case). */
gboolean    mw_xml_mentions  (MwXmlNode   *node,
                              const char  *needle);

/* A memory element (<memory unit='MiB'>2048</memory>, <hard_limit>…) in KiB, read in libvirt's
 * units as libvirt does (case ignored, KiB when none); 0 when node is NULL, not a number, in a
 * unit libvirt does not have, or too large. */
guint64     mw_xml_memory_kib (MwXmlNode  *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwXmlNode, mw_xml_node_free)

G_END_DECLS
