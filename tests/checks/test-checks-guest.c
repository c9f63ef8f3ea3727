/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checks-guest.c: the pre-flight checks on the guest's devices, networks, locks, cluster
 * hints, autostart and the migration speed left on it, and the quoting of fix hints, pass and fail, on crafted facts
 * (checks-test-facts.h). */

#include "config.h"

#include <string.h>

#include "checks-test-facts.h"
#include "mw-libvirt.h"
#include "mw-shell.h"

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

/* A speed limit libvirt keeps on the guest (virsh migrate-setspeed, or a change that reached it
 * after its migration ended): a live migration with no limit of its own runs at it, so a
 * warning with a fix, and the forecast counts with it; not said, none, offline or an own limit:
 * nothing to fix. */
static void
test_speed_limit (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  g_autofree char *how = NULL;
  MwCheckResult result = { 0 };

  facts->domain->migrate_speed_mib_s = 0;
  mw_check_eval_speed_limit (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "does not say");

  facts->domain->migrate_speed_mib_s = MW_LIBVIRT_SPEED_UNLIMITED_MIB_S;
  mw_check_eval_speed_limit (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "No migration speed limit");
  g_assert_cmpuint (mw_check_leftover_speed (facts), ==, 0);

  facts->domain->migrate_speed_mib_s = 2;
  g_assert_cmpuint (mw_check_leftover_speed (facts), ==, 2);
  mw_check_eval_speed_limit (facts, &result);
  g_assert_cmpstr (result.fix_label, ==, "Lift the Limit on hosta");
  g_assert_nonnull (strstr (result.fix, "virsh -c qemu+ssh://root@hosta/system migrate-setspeed "
                                        "guest 8796093022207\n"));
  assert_result (&result, MW_CHECK_STATE_WARNING, "speed limit of 2 MiB/s");
  /* The forecast's link is the limit libvirt will apply. */
  g_assert_cmpuint (mw_check_estimate_link (facts, &how), ==, 2 * 1024 * 1024);
  g_assert_nonnull (strstr (how, "2 MiB/s libvirt keeps on the guest"));

  facts->options->bandwidth_mib_s = 50;
  mw_check_eval_speed_limit (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "own limit of 50 MiB/s replaces it");
  g_clear_pointer (&how, g_free);
  g_assert_cmpuint (mw_check_estimate_link (facts, &how), ==, 50 * 1024 * 1024);

  facts->options->bandwidth_mib_s = 0;
  facts->options->mode = MW_MIGRATION_MODE_OFFLINE;
  mw_check_eval_speed_limit (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "does not apply");
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/devices", test_devices);
  g_test_add_func ("/mw/checks/network", test_network);
  g_test_add_func ("/mw/checks/lock-manager", test_lock_manager);
  g_test_add_func ("/mw/checks/cluster", test_cluster);
  g_test_add_func ("/mw/checks/autostart", test_autostart);
  g_test_add_func ("/mw/checks/autostart-fix", test_autostart_fix);
  g_test_add_func ("/mw/checks/speed-limit", test_speed_limit);
  g_test_add_func ("/mw/checks/fix-hints-quoted", test_fix_hints_quoted);

  return g_test_run ();
}
