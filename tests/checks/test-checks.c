/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checks.c: each pre-flight check's evaluation, pass and fail, on crafted facts and XML. */

#include "config.h"

#include <string.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-shell.h"

#define SHARED "/mnt/shared"

static const char *const base_xml =
  "<domain type='kvm'>"
  "  <name>guest</name>"
  "  <uuid>6d77c000-0000-4000-8000-000000000010</uuid>"
  "  <memory unit='MiB'>1024</memory>"
  "  <os><type arch='x86_64'>hvm</type>%s</os>"
  "  %s"
  "  <devices>"
  "    <disk type='file' device='disk'>"
  "      <driver name='qemu' type='qcow2' cache='none'/>"
  "      <source file='" SHARED "/guest.qcow2'/>"
  "      <target dev='vda' bus='virtio'/>"
  "    </disk>"
  "    <interface type='bridge'>"
  "      <mac address='52:54:00:77:00:10'/>"
  "      <source bridge='br0'/>"
  "    </interface>"
  "    %s"
  "  </devices>"
  "</domain>";

static void
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
static MwCheckFacts *
make_facts_full (const char *os_extra,
                 const char *domain_extra,
                 const char *devices_extra)
{
  MwCheckFacts *facts = mw_check_facts_new ("qemu+ssh://root@hosta/system",
                                            "qemu+ssh://root@hostb/system", "guest", NULL);
  g_autofree char *xml = g_strdup_printf (base_xml, os_extra, domain_extra, devices_extra);
  g_autoptr(GError) error = NULL;

  add_host (facts->source, "hosta", "6d77a000-0000-4000-8000-00000000000a");
  add_host (facts->dest, "hostb", "6d77b000-0000-4000-8000-00000000000b");
  facts->domain = mw_domain_facts_new_from_xml (xml, &error);
  g_assert_no_error (error);
  facts->domain->active = TRUE;
  facts->domain->inactive_xml = g_strdup (xml);
  return facts;
}

static MwCheckFacts *
make_facts (const char *devices_extra)
{
  return make_facts_full ("", "", devices_extra);
}

/* Replaces the guest's definition (live and persistent). */
static void
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

static void
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

static void
test_facts_parse (void)
{
  g_autoptr(MwCheckFacts) facts =
    make_facts ("<interface type='network'><source network='default'/></interface>"
                "<hostdev mode='subsystem' type='usb'><source><vendor id='0x046d'/>"
                "<product id='0xc52b'/></source></hostdev><tpm model='tpm-crb'>"
                "<backend type='emulator'/></tpm>");
  const MwDiskFact *disk = &g_array_index (facts->domain->disks, MwDiskFact, 0);
  const MwNicFact *nic = &g_array_index (facts->domain->nics, MwNicFact, 1);

  g_assert_cmpstr (facts->domain->name, ==, "guest");
  g_assert_cmpuint (facts->domain->memory_kib, ==, 1024 * 1024);
  g_assert_cmpstr (disk->cache, ==, "none");
  g_assert_cmpstr (disk->source, ==, SHARED "/guest.qcow2");
  g_assert_cmpint (nic->kind, ==, MW_INTERFACE_NETWORK);
  g_assert_cmpstr (nic->source, ==, "default");
  g_assert_cmpuint (facts->domain->hostdevs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (facts->domain->hostdevs, 0), ==, "USB 0x046d:0xc52b");
  g_assert_cmpstr (facts->domain->tpm_backend, ==, "emulator");
  g_assert_true (mw_check_disk_is_shared (facts, disk));
}

static void
test_capabilities (void)
{
  g_autoptr(MwHostFacts) host = mw_host_facts_new ("qemu:///system");
  g_autoptr(GError) error = NULL;
  const char *caps =
    "<capabilities><host><uuid>6D77A000-0000-4000-8000-00000000000A</uuid><cpu>"
    "<arch>x86_64</arch><model>Skylake-Client-IBRS</model><vendor>Intel</vendor>"
    "<feature name='vmx'/><feature name='avx2'/></cpu></host></capabilities>";

  g_assert_true (mw_host_facts_set_capabilities (host, caps, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (host->host_uuid, ==, "6d77a000-0000-4000-8000-00000000000a");
  g_assert_cmpstr (host->arch, ==, "x86_64");
  g_assert_cmpstr (host->cpu_vendor, ==, "Intel");
  g_assert_cmpstr (host->cpu_model, ==, "Skylake-Client-IBRS");
  g_assert_cmpstrv (host->cpu_features, ((const char *[]) { "avx2", "vmx", NULL }));
}

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

/* Copy-paste hints quote every URI and name with the one quoting helper: a hostile domain name
 * and a URI with "&" come out as single shell words, exactly as mw_shell_quote writes them. */
static void
test_fix_hints_quoted (void)
{
  const char *name = "a b;$(x)'";
  const char *dest = "qemu+ssh://root@hostb/system?no_tty=1&socket=/run/x";
  g_autofree char *q_name = mw_shell_quote (name);
  g_autofree char *q_dest = mw_shell_quote (dest);
  g_autofree char *q_source = mw_shell_quote ("qemu+ssh://root@hosta/system");
  g_autofree char *undefine = g_strdup_printf ("virsh -c %s undefine %s\n", q_dest, q_name);
  g_autofree char *eject = g_strdup_printf ("virsh -c %s change-media %s sda --eject",
                                            q_source, q_name);
  g_autofree char *edit = g_strdup_printf ("virsh edit %s.", q_name);
  g_autofree char *net_start = g_strdup_printf ("virsh -c %s net-start 'x y' (", q_dest);
  MwCheckResult result = { 0 };
  g_autoptr(MwCheckFacts) facts =
    make_facts ("<disk type='file' device='cdrom'><source file='/home/me/install.iso'/>"
                "<target dev='sda' bus='sata'/><readonly/></disk>"
                "<interface type='network'><source network='x y'/></interface>");
  g_auto(GStrv) words = NULL;

  g_assert_cmpstr (q_name, ==, "'a b;$(x)'\\'''");
  g_free (facts->dest_uri);
  facts->dest_uri = g_strdup (dest);
  g_free (facts->domain_name);
  facts->domain_name = g_strdup (name);
  g_free (facts->domain->name);
  facts->domain->name = g_strdup (name);

  mw_host_facts_add_domain (facts->dest, name, "99999999-2222-3333-4444-555555555555");
  mw_check_eval_name (facts, &result);
  if (strstr (result.fix, undefine) == NULL)
    g_error ("“%s” not in “%s”", undefine, result.fix);
  /* What a shell makes of the pasted line: the URI and the name are one word each. */
  g_assert_true (g_shell_parse_argv (strstr (result.fix, "virsh -c"), NULL, &words, NULL));
  g_assert_cmpstr (words[2], ==, dest);
  g_assert_cmpstr (words[4], ==, name);
  mw_check_result_clear (&result);

  mw_check_eval_devices (facts, &result);
  if (strstr (result.fix, eject) == NULL)
    g_error ("“%s” not in “%s”", eject, result.fix);
  mw_check_result_clear (&result);

  mw_host_facts_add_network (facts->dest, "x y", "virbr9", FALSE);
  mw_check_eval_network (facts, &result);
  if (strstr (result.fix, net_start) == NULL)
    g_error ("“%s” not in “%s”", net_start, result.fix);
  mw_check_result_clear (&result);

  g_free (facts->domain->cpu_mode);
  facts->domain->cpu_mode = g_strdup ("host-passthrough");
  g_free (facts->domain->cpu_xml);
  facts->domain->cpu_xml = g_strdup ("<cpu mode='host-passthrough'/>");
  mw_check_eval_cpu (facts, -1, NULL, &result);
  g_assert_nonnull (result.fix);
  if (strstr (result.fix, edit) == NULL)
    g_error ("“%s” not in “%s”", edit, result.fix);
  mw_check_result_clear (&result);
}

/* A guest that autostarts on the source, migrated temporarily (the source keeps its
 * definition): a warning, with a fix that turns autostart off; moved for good: nothing to say. */
static void
test_autostart (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  facts->domain->persistent = TRUE;
  mw_check_eval_autostart (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "does not start by itself");

  facts->domain->autostart = TRUE;
  mw_check_eval_autostart (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "removes its definition");

  facts->options->persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY;
  mw_check_eval_autostart (facts, &result);
  g_assert_cmpstr (result.fix_label, ==, "Turn Autostart Off on hosta");
  g_assert_nonnull (strstr (result.fix, "virsh -c qemu+ssh://root@hosta/system autostart "
                                        "--disable guest\n"));
  assert_result (&result, MW_CHECK_STATE_WARNING, "second copy");
}

/* The same on libvirt's test driver, end to end: facts gathered from a domain with autostart on,
 * the spec table's fix applied, autostart really off, and the check passing on fresh facts. */
static void
test_autostart_fix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(MwCheckFacts) facts = NULL;
  virConnectPtr conn = mw_libvirt_open ("test:///default", NULL, &error);
  virDomainPtr domain;
  const MwCheckSpec *specs;
  const MwCheckSpec *spec = NULL;
  MwCheckResult result = { 0 };
  MwCheckContext context = { NULL, conn, conn, 10 };
  guint n_specs = 0;
  int autostart = -1;

  g_assert_no_error (error);
  domain = virDomainLookupByName (conn, "test");
  g_assert_nonnull (domain);
  g_assert_cmpint (virDomainSetAutostart (domain, 1), ==, 0);

  options->persistence = MW_MIGRATION_PERSISTENCE_TEMPORARY;
  facts = mw_check_facts_new ("test:///default", "test:///default", "test", options);
  g_assert_true (mw_host_facts_gather (facts->source, conn, &error));
  g_assert_no_error (error);
  facts->domain = mw_domain_facts_gather (conn, "test", &error);
  g_assert_no_error (error);
  g_assert_true (facts->domain->autostart);
  context.facts = facts;

  specs = mw_check_specs_get (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (g_str_equal (specs[i].id, "autostart"))
      spec = &specs[i];
  g_assert_nonnull (spec);
  g_assert_true (spec->eval == mw_check_eval_autostart);
  spec->eval (facts, &result);
  g_assert_nonnull (result.fix_label);
  assert_result (&result, MW_CHECK_STATE_WARNING, "second copy");

  g_assert_true (spec->fix (&context, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (virDomainGetAutostart (domain, &autostart), ==, 0);
  g_assert_cmpint (autostart, ==, 0);

  mw_domain_facts_free (facts->domain);
  facts->domain = mw_domain_facts_gather (conn, "test", &error);
  g_assert_no_error (error);
  spec->eval (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  virDomainFree (domain);
  virConnectClose (conn);
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

static void
test_storage (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* A local disk. */
  set_domain_xml (facts,
                  "<domain type='kvm'><name>guest</name><uuid>6d77c000-0000-4000-8000-000000000010"
                  "</uuid><memory>1048576</memory><os><type>hvm</type></os><devices>"
                  "<disk type='file' device='disk'><driver name='qemu' cache='none'/>"
                  "<source file='/var/lib/libvirt/images/local.qcow2'/><target dev='vda'/></disk>"
                  "<disk type='network' device='disk'><driver name='qemu'/>"
                  "<source protocol='rbd' name='pool/image'/><target dev='vdb'/></disk>"
                  "</devices></domain>");
  mw_check_eval_storage (facts, &result);
  g_assert_nonnull (strstr (result.detail, "vdb (rbd:pool/image): network disk"));
  g_assert_nonnull (strstr (result.fix, "pool-define-as"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "vda");

  /* Copying it, into a pool the destination has there. */
  facts->options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "nowhere");
  mw_host_facts_add_pool (facts->dest, "default", "dir", "/var/lib/libvirt/images", TRUE);
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "copied");

  /* A pool of the same name elsewhere is not shared storage. */
  facts->options->storage = MW_MIGRATION_STORAGE_SHARED;
  set_domain_xml (facts, "<domain type='kvm'><name>guest</name><uuid>6d77c000-0000-4000-8000-"
                         "000000000010</uuid><memory>1048576</memory><os><type>hvm</type></os>"
                         "<devices><disk type='volume' device='disk'><driver name='qemu' "
                         "cache='none'/><source pool='shared' volume='guest.qcow2'/>"
                         "<target dev='vda'/></disk></devices></domain>");
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
  g_free (g_array_index (facts->dest->pools, MwPoolFact, 0).target_path);
  g_array_index (facts->dest->pools, MwPoolFact, 0).target_path = g_strdup ("/srv/other");
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, NULL);
}

static void
test_shared_filesystems_parse (void)
{
  g_auto(GStrv) dirs = NULL;
  gboolean has_option = FALSE;

  /* Debian's template: the option named, commented out, nothing set. */
  dirs = mw_check_parse_shared_filesystems ("#shared_filesystems = [\n#  \"/path/to/images\"\n#]\n",
                                            &has_option);
  g_assert_null (dirs);
  g_assert_true (has_option);

  dirs = mw_check_parse_shared_filesystems ("user = \"root\"\n", &has_option);
  g_assert_null (dirs);
  g_assert_false (has_option);

  /* Set over several lines, with a comment and a quoted # that is not one. */
  dirs = mw_check_parse_shared_filesystems ("stdio_handler = \"file\" # logs\n"
                                            "shared_filesystems = [\n  \"/srv/vm\",  # images\n"
                                            "  \"/srv/odd#dir\"\n]\n", &has_option);
  g_assert_true (has_option);
  g_assert_nonnull (dirs);
  g_assert_cmpuint (g_strv_length (dirs), ==, 2);
  g_assert_cmpstr (dirs[0], ==, "/srv/vm");
  g_assert_cmpstr (dirs[1], ==, "/srv/odd#dir");
}

static void
test_storage_as_libvirt_sees (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  MwSharedDirProbe probe = { "/mnt/shared", "ext2/ext3", FALSE, TRUE };

  /* A same-path pool on an ext4 directory nobody listed: libvirt will refuse. */
  mw_check_eval_storage (facts, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_nonnull (strstr (result.fix, "shared_filesystems = [ \"/mnt/shared\" ]"));
  g_assert_nonnull (strstr (result.detail, "“ext2/ext3”"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "will refuse");

  /* A libvirt without the option: Unsafe knowingly is the only way, and it says so. */
  probe.has_option = FALSE;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_null (strstr (result.fix, "shared_filesystems = ["));
  g_assert_nonnull (strstr (result.fix, "too old"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "will refuse");

  /* Listed: passes, and the detail says why. */
  probe.listed = TRUE;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_nonnull (strstr (result.detail, "listed in shared_filesystems"));
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* NFS (or any type not known to be local): left to libvirt, no false alarm. */
  probe.listed = FALSE;
  probe.fs_type = "nfs";
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* Unsafe chosen knowingly: libvirt will go ahead. */
  probe.fs_type = "xfs";
  facts->options->unsafe = TRUE;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");
}

static void
test_disk_cache (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = NULL;
  g_autofree char *live = NULL;
  guint n_changed = 0;

  mw_check_eval_disk_cache (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  live = g_strdup_printf (base_xml, "", "",
                          "<disk type='file' device='disk'><source file='" SHARED "/data.img'/>"
                          "<target dev='vdb'/></disk>"
                          "<disk type='file' device='disk'><driver name='qemu' "
                          "cache='writeback'/><source file='" SHARED "/log.img'/>"
                          "<target dev='vdc'/></disk>"
                          "<disk type='file' device='disk'><driver name='qemu' "
                          "cache='writeback'/><source file='" SHARED "/ro.img'/>"
                          "<target dev='vdd'/><readonly/></disk>");
  set_domain_xml (facts, live);
  mw_check_eval_disk_cache (facts, &result);
  g_assert_cmpstr (result.fix_label, !=, NULL);
  g_assert_nonnull (strstr (result.fix, "next boot"));
  g_assert_nonnull (strstr (result.detail, "vdb"));
  g_assert_nonnull (strstr (result.detail, "vdc"));
  g_assert_null (strstr (result.detail, "vdd"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "unsafe migration");

  facts->options->unsafe = TRUE;
  mw_check_eval_disk_cache (facts, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, NULL);
  facts->options->unsafe = FALSE;

  /* The fix, through libvirt-gconfig: a driver is added where there was none. */
  fixed = mw_check_set_disk_cache_none (facts, live, &n_changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 2);
  {
    g_autoptr(MwDomainFacts) parsed = mw_domain_facts_new_from_xml (fixed, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < parsed->disks->len; i++)
      {
        const MwDiskFact *disk = &g_array_index (parsed->disks, MwDiskFact, i);

        g_assert_cmpstr (disk->cache, ==, g_str_equal (disk->target, "vdd") ? "writeback"
                                                                            : "none");
      }
  }

  /* Saved but the guest still runs with the old mode: still blocking, and the fix offered now
   * is restarting the guest, which says it goes down. */
  g_free (facts->domain->inactive_xml);
  facts->domain->inactive_xml = g_strdup (fixed);
  mw_check_eval_disk_cache (facts, &result);
  g_assert_cmpstr (result.fix_label, ==, "Restart Guest");
  g_assert_nonnull (strstr (result.fix, "goes down"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "next boot");

  /* After the next boot. */
  set_domain_xml (facts, fixed);
  mw_check_eval_disk_cache (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
}

static void
test_devices (void)
{
  MwCheckResult result = { 0 };

  {
    g_autoptr(MwCheckFacts) facts = make_facts ("");

    mw_check_eval_devices (facts, &result);
    assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
  }
  {
    g_autoptr(MwCheckFacts) facts =
      make_facts ("<hostdev mode='subsystem' type='pci' managed='yes'><source><address "
                  "domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source></hostdev>");

    mw_check_eval_devices (facts, &result);
    assert_result (&result, MW_CHECK_STATE_BLOCKING, "PCI 0x0000:0x03:0x00.0");
  }
  {
    g_autoptr(MwCheckFacts) facts =
      make_facts ("<disk type='file' device='cdrom'><source file='/home/me/install.iso'/>"
                  "<target dev='sda' bus='sata'/><readonly/></disk>"
                  "<disk type='file' device='cdrom'><target dev='sdb' bus='sata'/></disk>");

    mw_check_eval_devices (facts, &result);
    g_assert_nonnull (strstr (result.fix, "change-media guest sda --eject"));
    assert_result (&result, MW_CHECK_STATE_BLOCKING, "install.iso");
  }
  {
    g_autoptr(MwCheckFacts) facts =
      make_facts_full ("<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd"
                       "</loader><nvram>/var/lib/libvirt/qemu/nvram/guest_VARS.fd</nvram>", "",
                       "");

    mw_check_eval_devices (facts, &result);
    assert_result (&result, MW_CHECK_STATE_WARNING, "UEFI");
  }
  {
    g_autoptr(MwCheckFacts) facts =
      make_facts ("<tpm model='tpm-tis'><backend type='passthrough'><device path='/dev/tpm0'/>"
                  "</backend></tpm>");

    mw_check_eval_devices (facts, &result);
    assert_result (&result, MW_CHECK_STATE_BLOCKING, "TPM");
  }
}

static void
test_network (void)
{
  g_autoptr(MwCheckFacts) facts =
    make_facts ("<interface type='network'><source network='default'/></interface>");
  MwCheckResult result = { 0 };

  mw_check_eval_network (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  g_array_index (facts->dest->networks, MwNetworkFact, 0).active = FALSE;
  mw_check_eval_network (facts, &result);
  g_assert_nonnull (strstr (result.fix, "net-start default"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "not active");

  g_array_set_size (facts->dest->interfaces, 0);
  mw_check_eval_network (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "bridge “br0” does not exist");

  /* A libvirt network in bridge mode on br0 provides the bridge. */
  mw_host_facts_add_network (facts->dest, "host-bridge", "br0", TRUE);
  g_array_index (facts->dest->networks, MwNetworkFact, 0).active = TRUE;
  mw_check_eval_network (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
}

static void
test_lock_manager (void)
{
  MwCheckResult result = { 0 };

  {
    g_autoptr(MwCheckFacts) facts = make_facts ("");

    mw_check_eval_lock_manager (facts, &result);
    g_assert_nonnull (strstr (result.detail, "virtlockd"));
    g_assert_nonnull (strstr (result.detail, "sanlock"));
    assert_result (&result, MW_CHECK_STATE_WARNING, "lock manager");
  }
  {
    g_autoptr(MwCheckFacts) facts =
      make_facts ("<lease><lockspace>space</lockspace><key>guest</key><target path='"
                  SHARED "/leases'/></lease>");

    mw_check_eval_lock_manager (facts, &result);
    assert_result (&result, MW_CHECK_STATE_PASSED, "sanlock");
  }
}

static void
test_cluster (void)
{
  MwCheckResult result = { 0 };

  {
    g_autoptr(MwCheckFacts) facts = make_facts ("");

    mw_check_eval_cluster (facts, &result);
    assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
    facts->domain->persistent = FALSE;
    mw_check_eval_cluster (facts, &result);
    assert_result (&result, MW_CHECK_STATE_WARNING, "transient");
  }
  {
    g_autoptr(MwCheckFacts) facts =
      make_facts_full ("", "<description>Managed by Pacemaker (VirtualDomain)</description>",
                       "");

    mw_check_eval_cluster (facts, &result);
    g_assert_nonnull (strstr (result.fix, "allow-migrate=true"));
    g_assert_nonnull (strstr (result.fix, "pcs resource move"));
    assert_result (&result, MW_CHECK_STATE_WARNING, "cluster-managed");
  }
}

static void
test_forecast_predict (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  guint64 mib = 1024 * 1024;
  MwForecast forecast;

  /* Idle: one pass of 1 GiB at 100 MiB/s, which libvirt counts as 3 (QEMU's syncs). */
  mw_forecast_predict (1024 * mib, 0, 0, 100 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_CONVERGING);
  g_assert_cmpfloat_with_epsilon (forecast.seconds, 10.24, 0.01);
  g_assert_cmpuint (forecast.passes, ==, 3);

  /* 10 MiB/s dirty: the remainder shrinks tenfold a pass; 2 passes, 4-6 syncs. */
  mw_forecast_predict (1024 * mib, 10 * mib, 0, 100 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_CONVERGING);
  g_assert_cmpuint (forecast.passes_min, ==, 4);
  g_assert_cmpuint (forecast.passes_max, ==, 6);
  g_assert_cmpuint (forecast.downtime_ms, <=, MW_CONVERGENCE_DEFAULT_DOWNTIME_MS);

  /* Dirtier than the link. */
  mw_forecast_predict (1024 * mib, 200 * mib, 0, 100 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_NOT_CONVERGING);
  g_assert_true (forecast.remedies & MW_REMEDY_RESTART_AUTO_CONVERGE);
  g_assert_true (forecast.remedies & MW_REMEDY_RESTART_POSTCOPY);
  g_assert_false (forecast.remedies & MW_REMEDY_REMOVE_BANDWIDTH_CAP);
}

/* What the lab showed: the guest rewrites a 128 MiB buffer at 256 MiB/s. Over QEMU's 3 s window
 * that is 43 MiB/s of distinct pages, over 1 s 128 MiB/s; a 64 MiB/s link never finishes. */
static void
test_forecast_working_set (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  guint64 mib = 1024 * 1024;
  guint64 dirty = 0, working_set = 0;
  MwForecast forecast;

  /* The long window alone would predict convergence: 43 < 64. */
  mw_forecast_predict (256 * mib, 43 * mib, 0, 64 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_CONVERGING);

  mw_forecast_from_windows (128 * mib, 1, 43 * mib, 3, &dirty, &working_set);
  g_assert_cmpuint (dirty, ==, 128 * mib);
  g_assert_cmpuint (working_set, ==, 129 * mib);
  mw_forecast_predict (256 * mib, dirty, working_set, 64 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_NOT_CONVERGING);

  /* Windows that agree: a steady rate, no working set; 10 MiB/s over 100 MiB/s converges. */
  mw_forecast_from_windows (10 * mib, 1, 9 * mib, 3, &dirty, &working_set);
  g_assert_cmpuint (dirty, ==, 10 * mib);
  g_assert_cmpuint (working_set, ==, 0);
  mw_forecast_predict (1024 * mib, dirty, working_set, 100 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_CONVERGING);

  /* A small set rewritten fast still converges when it fits in the downtime budget:
   * 16 MiB over 100 MiB/s is 160 ms < 300 ms. */
  mw_forecast_predict (1024 * mib, 500 * mib, 16 * mib, 100 * mib, options, &forecast);
  g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_CONVERGING);
}

static void
test_forecast_eval (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  g_autofree char *how = NULL;

  g_assert_cmpuint (mw_check_estimate_link (facts, &how), ==, 100 * 1024 * 1024);
  facts->options->bandwidth_mib_s = 2;
  g_assert_cmpuint (mw_check_estimate_link (facts, NULL), ==, 2 * 1024 * 1024);

  /* 16 MiB/s dirty against a 2 MiB/s cap. */
  mw_check_eval_forecast (facts, 16 * 1024 * 1024, 0, NULL, &result);
  g_assert_nonnull (strstr (result.fix, "auto-converge"));
  g_assert_nonnull (strstr (result.fix, "bandwidth limit of 2 MiB/s"));
  assert_result (&result, MW_CHECK_STATE_WARNING, "Will not converge");

  facts->options->bandwidth_mib_s = 0;
  mw_check_eval_forecast (facts, 0, 0, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "Converges in about");

  mw_check_eval_forecast (facts, G_MAXUINT64, 0, "not supported", &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "could not be measured");

  facts->domain->active = FALSE;
  mw_check_eval_forecast (facts, G_MAXUINT64, 0, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
}

/* Memory in each of libvirt's units, matched without regard to case as libvirt does; a unit it
 * does not have is unknown (0), not a warning. */
static void
test_facts_memory_units (void)
{
  static const struct { const char *unit; const char *value; guint64 kib; } cases[] = {
    { NULL, "262144", 262144 }, { "KiB", "262144", 262144 }, { "k", "1024", 1024 },
    { "MiB", "512", 524288 }, { "M", "1", 1024 }, { "mb", "1", 976 }, { "GB", "1", 976562 },
    { "GiB", "2", 2097152 }, { "bytes", "1048576", 1024 }, { "K;iB", "1", 0 },
    { "KiB", "12x", 0 }, { "EiB", "99", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *unit = cases[i].unit ? g_strdup_printf (" unit='%s'", cases[i].unit)
                                            : g_strdup ("");
      g_autofree char *xml = g_strdup_printf ("<domain type='kvm'><name>m</name>"
                                              "<memory%s>%s</memory></domain>",
                                              unit, cases[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDomainFacts) facts = mw_domain_facts_new_from_xml (xml, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (facts->max_memory_kib, ==, cases[i].kib);
      g_assert_cmpuint (facts->memory_kib, ==, cases[i].kib);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/facts-parse", test_facts_parse);
  g_test_add_func ("/mw/checks/facts-memory-units", test_facts_memory_units);
  g_test_add_func ("/mw/checks/capabilities", test_capabilities);
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
  g_test_add_func ("/mw/checks/fix-hints-quoted", test_fix_hints_quoted);
  g_test_add_func ("/mw/checks/autostart", test_autostart);
  g_test_add_func ("/mw/checks/autostart-fix", test_autostart_fix);
  g_test_add_func ("/mw/checks/memory", test_memory);
  g_test_add_func ("/mw/checks/storage", test_storage);
  g_test_add_func ("/mw/checks/shared-filesystems-parse", test_shared_filesystems_parse);
  g_test_add_func ("/mw/checks/storage-as-libvirt-sees", test_storage_as_libvirt_sees);
  g_test_add_func ("/mw/checks/disk-cache", test_disk_cache);
  g_test_add_func ("/mw/checks/devices", test_devices);
  g_test_add_func ("/mw/checks/network", test_network);
  g_test_add_func ("/mw/checks/lock-manager", test_lock_manager);
  g_test_add_func ("/mw/checks/cluster", test_cluster);
  g_test_add_func ("/mw/checks/forecast-predict", test_forecast_predict);
  g_test_add_func ("/mw/checks/forecast-working-set", test_forecast_working_set);
  g_test_add_func ("/mw/checks/forecast-eval", test_forecast_eval);

  return g_test_run ();
}
