/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-xml-tree.c: a small read-only element tree parsed with GMarkup (see mw-xml-tree.h). */

#include "config.h"

#include <string.h>

#include "mw-text.h"
#include "mw-xml-tree.h"

void
mw_xml_node_free (gpointer data)
{
  MwXmlNode *node = data;

  if (node == NULL)
    return;
  g_free (node->name);
  g_strfreev (node->attr_names);
  g_strfreev (node->attr_values);
  g_string_free (node->text, TRUE);
  g_ptr_array_unref (node->children);
  g_free (node);
}

static MwXmlNode *
xml_node_new (const char *name,
              MwXmlNode  *parent)
{
  MwXmlNode *node = g_new0 (MwXmlNode, 1);

  node->name = g_strdup (name);
  node->text = g_string_new (NULL);
  node->children = g_ptr_array_new_with_free_func (mw_xml_node_free);
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
  MwXmlNode **current = user_data;
  MwXmlNode *node;
  guint depth = 0;

  for (MwXmlNode *up = *current; up->parent != NULL; up = up->parent)
    depth++;
  if (depth >= MW_XML_MAX_DEPTH)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "Elements nested deeper than %d levels", MW_XML_MAX_DEPTH);
      return;
    }

  node = xml_node_new (element_name, *current);
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
  MwXmlNode **current = user_data;

  *current = (*current)->parent;
}

static void
on_xml_text_cb (GMarkupParseContext  *context,
                const char           *text,
                gsize                 text_len,
                gpointer              user_data,
                GError              **error)
{
  MwXmlNode **current = user_data;

  g_string_append_len ((*current)->text, text, text_len);
}

MwXmlNode *
mw_xml_parse (const char  *xml,
              GError     **error)
{
  static const GMarkupParser parser = { on_xml_start_cb, on_xml_end_cb, on_xml_text_cb, NULL,
                                        NULL };
  g_autoptr(MwXmlNode) document = xml_node_new ("", NULL);
  MwXmlNode *current = document;
  GMarkupParseContext *context;
  gboolean ok;

  /* GMarkup would say so too, but quoting the bad bytes in its message. */
  if (!g_utf8_validate (xml, -1, NULL))
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_BAD_UTF8,
                           "The document is not valid UTF-8 text");
      return NULL;
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &current, NULL);
  ok = g_markup_parse_context_parse (context, xml, -1, error)
       && g_markup_parse_context_end_parse (context, error);
  g_markup_parse_context_free (context);
  if (!ok)
    {
      mw_text_make_error_valid (error);
      return NULL;
    }
  if (document->children->len != 1)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, "No root element");
      return NULL;
    }

  return g_ptr_array_steal_index (document->children, 0);
}

MwXmlNode *
mw_xml_child (MwXmlNode  *node,
              const char *name)
{
  if (node == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      MwXmlNode *child = g_ptr_array_index (node->children, i);

      if (g_str_equal (child->name, name))
        return child;
    }
  return NULL;
}

MwXmlNode *
mw_xml_path (MwXmlNode  *node,
             const char *path)
{
  g_auto(GStrv) steps = g_strsplit (path, "/", -1);

  for (guint i = 0; steps[i] != NULL && node != NULL; i++)
    node = mw_xml_child (node, steps[i]);
  return node;
}

const char *
mw_xml_attr (MwXmlNode  *node,
             const char *name)
{
  if (node == NULL || node->attr_names == NULL)
    return NULL;
  for (guint i = 0; node->attr_names[i] != NULL; i++)
    if (g_str_equal (node->attr_names[i], name))
      return node->attr_values[i];
  return NULL;
}

const char *
mw_xml_attr_or (MwXmlNode  *node,
                const char *name,
                const char *fallback)
{
  const char *value = mw_xml_attr (node, name);

  return value != NULL ? value : fallback;
}

char *
mw_xml_text (MwXmlNode *node)
{
  if (node == NULL)
    return NULL;
  return g_strstrip (g_strdup (node->text->str));
}

gboolean
mw_xml_mentions (MwXmlNode  *node,
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
    if (mw_xml_mentions (g_ptr_array_index (node->children, i), needle))
      return TRUE;
  return FALSE;
}

/* <memory unit='…'>N</memory> in KiB, in libvirt's units, matched as it does without regard to
 * case (KiB when none); 0 when absent, not a number, in a unit libvirt does not have, or too
 * large. */
guint64
mw_xml_memory_kib (MwXmlNode *node)
{
  static const struct { const char *unit; guint64 bytes; } units[] = {
    { "b", 1 }, { "byte", 1 }, { "bytes", 1 },
    { "KB", 1000ULL }, { "k", 1ULL << 10 }, { "KiB", 1ULL << 10 },
    { "MB", 1000000ULL }, { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
    { "GB", 1000000000ULL }, { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
    { "TB", 1000000000000ULL }, { "T", 1ULL << 40 }, { "TiB", 1ULL << 40 },
    { "PB", 1000000000000000ULL }, { "P", 1ULL << 50 }, { "PiB", 1ULL << 50 },
    { "EB", 1000000000000000000ULL }, { "E", 1ULL << 60 }, { "EiB", 1ULL << 60 },
  };
  g_autofree char *text = NULL;
  const char *unit;
  guint64 value = 0;
  guint64 bytes = 0;

  if (node == NULL)
    return 0;
  unit = mw_xml_attr_or (node, "unit", "KiB");
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit, units[i].unit) == 0)
      {
        bytes = units[i].bytes;
        break;
      }
  text = mw_xml_text (node);
  if (bytes == 0 || text == NULL
      || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT64, &value, NULL))
    return 0;
  if (value > G_MAXUINT64 / bytes)
    return 0;
  return value * bytes / 1024;
}
