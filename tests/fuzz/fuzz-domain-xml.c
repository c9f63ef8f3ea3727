/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-domain-xml.c: what `virsh dumpxml` and capabilities answers become (mw-xml-tree.c,
 * mw-check-facts.c): any XML, with odd names, deep nesting or missing parts.
 *
 * Invariants: the element tree is consistent (every child's parent is its parent, names and
 * values valid UTF-8, nesting bounded); domain facts hold only valid UTF-8 and never a "(null)"
 * the input did not have; capabilities' CPU features come out sorted. */
#include <string.h>

#include "mw-check-facts.h"
#include "mw-fuzz.h"
#include "mw-xml-tree.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  mw_fuzz_init ();
  return 0;
}

static void
check_text (const char *text,
            gboolean    input_has_null)
{
  if (text == NULL)
    return;
  mw_fuzz_check (g_utf8_validate (text, -1, NULL));
  mw_fuzz_check (input_has_null || strstr (text, "(null)") == NULL);
}

static guint
check_tree (MwXmlNode *node,
            guint      depth)
{
  guint deepest = depth;

  mw_fuzz_check (depth <= MW_XML_MAX_DEPTH);
  mw_fuzz_check (g_utf8_validate (node->name, -1, NULL) && *node->name != '\0');
  mw_fuzz_check (g_utf8_validate (node->text->str, -1, NULL));
  for (guint i = 0; node->attr_names != NULL && node->attr_names[i] != NULL; i++)
    {
      mw_fuzz_check (node->attr_values[i] != NULL);
      mw_fuzz_check (g_utf8_validate (node->attr_values[i], -1, NULL));
      mw_fuzz_check (mw_xml_attr (node, node->attr_names[i]) != NULL);
    }
  for (guint i = 0; i < node->children->len; i++)
    {
      MwXmlNode *child = g_ptr_array_index (node->children, i);

      mw_fuzz_check (child->parent == node);
      mw_fuzz_check (mw_xml_child (node, child->name) != NULL);
      deepest = MAX (deepest, check_tree (child, depth + 1));
    }
  return deepest;
}

static void
fuzz_tree (const char *xml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwXmlNode) root = mw_xml_parse (xml, &error);
  g_autofree char *text = NULL;

  if (root == NULL)
    {
      mw_fuzz_check_message (error);
      return;
    }
  mw_fuzz_check (root->parent == NULL || root->parent != root);
  check_tree (root, 1);
  text = mw_xml_text (mw_xml_path (root, "os/nvram"));
  mw_fuzz_check (text == NULL || g_utf8_validate (text, -1, NULL));
  (void) mw_xml_mentions (root, "pacemaker");
}

static void
fuzz_domain (const char *xml,
             gboolean    input_has_null)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwDomainFacts) facts = mw_domain_facts_new_from_xml (xml, &error);

  if (facts == NULL)
    {
      mw_fuzz_check_message (error);
      return;
    }
  check_text (facts->name, input_has_null);
  check_text (facts->uuid, input_has_null);
  check_text (facts->virt_type, input_has_null);
  check_text (facts->arch, input_has_null);
  check_text (facts->cpu_mode, input_has_null);
  check_text (facts->cpu_model, input_has_null);
  check_text (facts->nvram, input_has_null);
  check_text (facts->tpm_backend, input_has_null);
  check_text (facts->cluster_hint, input_has_null);
  for (guint i = 0; i < facts->disks->len; i++)
    {
      const MwDiskFact *disk = &g_array_index (facts->disks, MwDiskFact, i);

      check_text (disk->target, input_has_null);
      check_text (disk->device, input_has_null);
      check_text (disk->source, input_has_null);
      check_text (disk->pool, input_has_null);
      check_text (disk->volume, input_has_null);
      check_text (disk->cache, input_has_null);
    }
  for (guint i = 0; i < facts->nics->len; i++)
    {
      const MwNicFact *nic = &g_array_index (facts->nics, MwNicFact, i);

      check_text (nic->source, input_has_null);
      check_text (nic->mac, input_has_null);
    }
  for (guint i = 0; i < facts->hostdevs->len; i++)
    check_text (g_ptr_array_index (facts->hostdevs, i), input_has_null);
}

static void
fuzz_capabilities (const char *xml,
                   gboolean    input_has_null)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwHostFacts) facts = mw_host_facts_new ("test:///default");

  if (!mw_host_facts_set_capabilities (facts, xml, &error))
    {
      mw_fuzz_check_message (error);
      return;
    }
  check_text (facts->host_uuid, input_has_null);
  check_text (facts->arch, input_has_null);
  check_text (facts->cpu_vendor, input_has_null);
  check_text (facts->cpu_model, input_has_null);
  mw_fuzz_check (facts->cpu_features != NULL);
  for (guint i = 0; facts->cpu_features[i] != NULL; i++)
    {
      check_text (facts->cpu_features[i], input_has_null);
      mw_fuzz_check (i == 0 || strcmp (facts->cpu_features[i - 1], facts->cpu_features[i]) <= 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *xml = mw_fuzz_string (data, size);
  gboolean input_has_null = strstr (xml, "(null)") != NULL;

  fuzz_tree (xml);
  fuzz_domain (xml, input_has_null);
  fuzz_capabilities (xml, input_has_null);
  return 0;
}
