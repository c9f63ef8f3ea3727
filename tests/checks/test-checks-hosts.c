/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checks-hosts.c: the pre-flight checks on the two hosts (connections, identity,
 * reachability, hypervisor, CPU, name, memory), pass and fail, on crafted facts
 * (checks-test-facts.h). */

#include "config.h"

#include <string.h>

#include "checks-test-facts.h"
#include "mw-libvirt.h"

static void
test_connections (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_connections (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "hosta and hostb");

  facts->dest->error = g_strdup ("Connection refused");
  mw_check_eval_connections (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "destination");
}

static void
test_same_host (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_same_host (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  /* A cloned host kept its UUID. */
  g_free (facts->dest->host_uuid);
  facts->dest->host_uuid = g_strdup (facts->source->host_uuid);
  mw_check_eval_same_host (facts, &result);
  g_assert_nonnull (strstr (result.fix, "host_uuid"));
  g_assert_nonnull (strstr (result.detail, "cloned hosts need a new host_uuid"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "same host UUID");
}

static void
test_dest_hostname (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  MwResolveProbe good = { "hostb", MW_RESOLVE_REMOTE, "10.78.0.3", { MW_VANTAGE_SOURCE, NULL } };
  MwResolveProbe loop = { "hostb", MW_RESOLVE_LOOPBACK, "127.0.1.1",
                          { MW_VANTAGE_SOURCE, NULL } };
  MwResolveProbe failed = { "hostb", MW_RESOLVE_FAILED, NULL, { MW_VANTAGE_SOURCE, NULL } };

  mw_check_eval_dest_hostname (facts, &good, 1, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
  mw_check_eval_dest_hostname (facts, &loop, 1, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "localhost");
  mw_check_eval_dest_hostname (facts, &failed, 1, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "cannot resolve");
}

static void
test_peer_to_peer (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  facts->options->connection = MW_MIGRATION_CONNECTION_CLIENT;
  mw_check_eval_peer_to_peer (facts, MW_PROBE_NOT_RUN, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "Not needed");

  facts->options->connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER;
  mw_check_eval_peer_to_peer (facts, MW_PROBE_OK, "hostb", &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "own credentials");
  mw_check_eval_peer_to_peer (facts, MW_PROBE_FAILED, "Host key verification failed.", &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "cannot open");
  mw_check_eval_peer_to_peer (facts, MW_PROBE_NOT_RUN, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, NULL);

  g_free (facts->dest_uri);
  facts->dest_uri = g_strdup ("qemu:///system");
  mw_check_eval_peer_to_peer (facts, MW_PROBE_NOT_RUN, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "names the destination");
}

static void
test_ports (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  MwVantagePoint source = { MW_VANTAGE_SOURCE, NULL };

  mw_check_eval_ports (facts, "hostb", MW_PROBE_OK, &source, "refused", &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "reaches");
  mw_check_eval_ports (facts, "hostb", MW_PROBE_TIMED_OUT, &source, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "firewall");
  facts->options->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  mw_check_eval_ports (facts, "hostb", MW_PROBE_TIMED_OUT, &source, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "tunnelled");
}

static void
test_hypervisor (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_hypervisor (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
  g_free (facts->dest->arch);
  facts->dest->arch = g_strdup ("aarch64");
  mw_check_eval_hypervisor (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "architectures");
  g_free (facts->dest->hv_type);
  facts->dest->hv_type = g_strdup ("Xen");
  mw_check_eval_hypervisor (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "hypervisors");
}

static void
test_cpu (void)
{
  g_autoptr(MwCheckFacts) facts =
    make_facts_full ("", "<cpu mode='custom' match='exact'><model>Skylake-Client</model></cpu>",
                     "");
  MwCheckResult result = { 0 };

  g_assert_cmpstr (facts->domain->cpu_mode, ==, "custom");
  g_assert_cmpstr (facts->domain->cpu_model, ==, "Skylake-Client");
  g_assert_nonnull (strstr (facts->domain->cpu_xml, "Skylake-Client"));

  mw_check_eval_cpu (facts, VIR_CPU_COMPARE_SUPERSET, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "Skylake-Client");

  g_strfreev (facts->dest->cpu_features);
  facts->dest->cpu_features = g_strsplit ("nx,vmx", ",", -1);
  mw_check_eval_cpu (facts, VIR_CPU_COMPARE_INCOMPATIBLE, "the host lacks avx2", &result);
  g_assert_nonnull (strstr (result.detail, "avx2"));
  g_assert_nonnull (strstr (result.fix, "hypervisor-cpu-baseline"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "cannot provide");

  /* The destination could not compare: fall back to the host CPUs' features. */
  mw_check_eval_cpu (facts, -1, "not supported", &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "avx2");
}

static void
test_cpu_passthrough (void)
{
  g_autoptr(MwCheckFacts) facts =
    make_facts_full ("", "<cpu mode='host-passthrough'/>", "");
  MwCheckResult result = { 0 };

  mw_check_eval_cpu (facts, -1, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "host-passthrough");
  g_free (facts->dest->cpu_model);
  facts->dest->cpu_model = g_strdup ("EPYC");
  mw_check_eval_cpu (facts, -1, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "host-passthrough");
}

static void
test_cpu_flags (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_cpu_flags (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  g_strfreev (facts->dest->cpu_features);
  facts->dest->cpu_features = g_strsplit ("avx2,vmx", ",", -1);
  mw_check_eval_cpu_flags (facts, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "NX");

  g_free (facts->dest->cpu_vendor);
  facts->dest->cpu_vendor = g_strdup ("AMD");
  mw_check_eval_cpu_flags (facts, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "vendors differ");
}

static void
test_name (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_host_facts_add_domain (facts->dest, "other", "11111111-2222-3333-4444-555555555555");
  mw_check_eval_name (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  mw_host_facts_add_domain (facts->dest, "guest", "99999999-2222-3333-4444-555555555555");
  mw_check_eval_name (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "already exists");

  g_ptr_array_set_size (facts->dest->domain_names, 0);
  g_ptr_array_set_size (facts->dest->domain_uuids, 0);
  mw_host_facts_add_domain (facts->dest, "renamed", facts->domain->uuid);
  mw_check_eval_name (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "same UUID");
}

static void
test_memory (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_memory (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
  facts->dest->free_memory = 1100 * 1024 * 1024;
  mw_check_eval_memory (facts, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, NULL);
  facts->dest->free_memory = 512 * 1024 * 1024;
  mw_check_eval_memory (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "only");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/connections", test_connections);
  g_test_add_func ("/mw/checks/same-host", test_same_host);
  g_test_add_func ("/mw/checks/dest-hostname", test_dest_hostname);
  g_test_add_func ("/mw/checks/peer-to-peer", test_peer_to_peer);
  g_test_add_func ("/mw/checks/ports", test_ports);
  g_test_add_func ("/mw/checks/hypervisor", test_hypervisor);
  g_test_add_func ("/mw/checks/cpu", test_cpu);
  g_test_add_func ("/mw/checks/cpu-passthrough", test_cpu_passthrough);
  g_test_add_func ("/mw/checks/cpu-flags", test_cpu_flags);
  g_test_add_func ("/mw/checks/name", test_name);
  g_test_add_func ("/mw/checks/memory", test_memory);

  return g_test_run ();
}
