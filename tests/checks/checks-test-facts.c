/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checks-test-facts.c: crafted facts for the pre-flight checks' unit tests (test-checks-*.c):
 * a guest on two healthy hosts, and the assertion on a check's result. Linked into each of
 * them; the names stay short as they were in the one file these tests came from. */

#include "config.h"

#include <string.h>

#include "checks-test-facts.h"

void
add_host (MwHostFacts *host,
          const char  *name,
          const char  *uuid)
{
  host->hostname = g_strdup (name);
  host->hv_type = g_strdup ("QEMU");
  host->host_uuid = g_strdup (uuid);
  host->arch = g_strdup ("x86_64");
  host->cpu_vendor = g_strdup ("Intel");
  host->cpu_model = g_strdup ("Skylake-Client");
  g_strfreev (host->cpu_features);
  host->cpu_features = g_strsplit ("avx2,nx,vmx", ",", -1);
  host->free_memory = G_GUINT64_CONSTANT (8) << 30;
  host->have_free_memory = TRUE;
  mw_host_facts_add_pool (host, "shared", "netfs", SHARED, TRUE);
  mw_host_facts_add_network (host, "default", "virbr0", TRUE);
  mw_host_facts_add_interface (host, "br0", TRUE);
}

/* Facts for a guest on two healthy hosts; the XML pieces go into os, the domain and devices. */
MwCheckFacts *
make_facts_full (const char *os_extra,
                 const char *domain_extra,
                 const char *devices_extra)
{
  MwCheckFacts *facts = mw_check_facts_new ("qemu+ssh://root@hosta/system",
                                            "qemu+ssh://root@hostb/system", "guest", NULL);
  g_autofree char *xml = g_strdup_printf (BASE_XML, os_extra, domain_extra, devices_extra);
  g_autoptr(GError) error = NULL;

  add_host (facts->source, "hosta", "6d77a000-0000-4000-8000-00000000000a");
  add_host (facts->dest, "hostb", "6d77b000-0000-4000-8000-00000000000b");
  facts->domain = mw_domain_facts_new_from_xml (xml, &error);
  g_assert_no_error (error);
  facts->domain->active = TRUE;
  facts->domain->inactive_xml = g_strdup (xml);
  return facts;
}

MwCheckFacts *
make_facts (const char *devices_extra)
{
  return make_facts_full ("", "", devices_extra);
}

/* Replaces the guest's definition (live and persistent). */
void
set_domain_xml (MwCheckFacts *facts,
                const char   *xml)
{
  g_autoptr(GError) error = NULL;

  mw_domain_facts_free (facts->domain);
  facts->domain = mw_domain_facts_new_from_xml (xml, &error);
  g_assert_no_error (error);
  facts->domain->active = TRUE;
  facts->domain->inactive_xml = g_strdup (xml);
}

void
assert_result (MwCheckResult *result,
               MwCheckState   state,
               const char    *in_sentence)
{
  if (result->state != state)
    g_error ("expected %s, got %s: %s", mw_check_state_to_nick (state),
             mw_check_state_to_nick (result->state), result->sentence);
  g_assert_nonnull (result->sentence);
  if (in_sentence != NULL && strstr (result->sentence, in_sentence) == NULL)
    g_error ("“%s” not in “%s”", in_sentence, result->sentence);
  if (state == MW_CHECK_STATE_BLOCKING)
    g_assert_nonnull (result->fix);
  mw_check_result_clear (result);
}
