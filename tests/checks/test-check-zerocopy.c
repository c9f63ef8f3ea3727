/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-check-zerocopy.c: the "zero-copy" pre-flight check on fixtures — the memlock probe's
 * output as the lab's hosts print it (a daemon without CAP_SYS_RESOURCE, QEMU at 8 MiB) and as
 * a stock host prints it — and the spec in the table, run against test:///default. */

#include "config.h"

#include <string.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"

#define V(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)
#define PROBE_LAB "daemon libvirtd\nCapEff:\t000001fffeffffff\n" \
                  "Max locked memory         8388608              8388608              bytes     \n"
#define PROBE_STOCK "daemon virtqemud\nCapEff:\t000001ffffffffff\n" \
                    "Max locked memory         8388608              8388608              bytes     \n"
#define GUEST_256 "<domain><memory unit='KiB'>262144</memory></domain>"

static MwMigrationCaps *
lab_caps (const char *probe)
{
  MwMigrationCaps *caps = mw_migration_caps_new ();
  g_autoptr(GError) error = NULL;

  caps->source = (MwMigrationHostFacts) { g_strdup ("hosta"), V (11, 3), V (10, 0), 2 };
  caps->destination = (MwMigrationHostFacts) { g_strdup ("hostb"), V (11, 3), V (10, 0), 2 };
  g_assert_true (mw_migration_caps_set_domain_xml (caps, GUEST_256, &error));
  g_assert_no_error (error);
  mw_migration_caps_set_memlock_probe (caps, probe);
  return caps;
}

static MwCheckFacts *
facts_with (gboolean zerocopy)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();

  if (zerocopy)
    {
      options->parallel_connections = 2;
      options->zerocopy = TRUE;
    }
  return mw_check_facts_new ("qemu+ssh://root@hosta/system", "qemu+ssh://root@hostb/system",
                             "labguest", options);
}

static void
test_lab_refuses (void)
{
  g_autoptr(MwMigrationCaps) caps = lab_caps (PROBE_LAB);
  g_autoptr(MwCheckFacts) chosen = facts_with (TRUE);
  g_autoptr(MwCheckFacts) off = facts_with (FALSE);
  MwCheckResult result = { 0 };

  /* Asked for: blocking, with the same sentence the wizard and the CLI show, and the fix. */
  mw_check_eval_zerocopy (chosen, caps, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_BLOCKING);
  g_assert_cmpstr (result.sentence, ==,
                   "Needs the guest’s QEMU on hosta allowed to lock 256 MiB: libvirt raises "
                   "that limit for zero-copy, but libvirtd there lacks CAP_SYS_RESOURCE, and the "
                   "limit is 8.0 MiB.");
  g_assert_nonnull (strstr (result.fix, "LimitMEMLOCK=infinity"));
  g_assert_nonnull (strstr (result.detail, "hosta cannot raise that."));
  mw_check_result_clear (&result);

  /* Not asked for: it passes, and still says why zero-copy could not be turned on. */
  mw_check_eval_zerocopy (off, caps, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  g_assert_nonnull (strstr (result.sentence, "Zero-copy is off"));
  g_assert_nonnull (strstr (result.sentence, "CAP_SYS_RESOURCE"));
  mw_check_result_clear (&result);
}

static void
test_allowed (void)
{
  g_autoptr(MwMigrationCaps) stock = lab_caps (PROBE_STOCK);
  g_autoptr(MwMigrationCaps) capped = lab_caps (PROBE_LAB);
  g_autoptr(MwMigrationCaps) unknown = lab_caps ("");
  g_autoptr(MwCheckFacts) chosen = facts_with (TRUE);
  g_autoptr(GError) error = NULL;
  MwCheckResult result = { 0 };

  mw_check_eval_zerocopy (chosen, stock, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpstr (result.sentence, ==, "Zero-copy can work for this guest on this pair.");
  g_assert_nonnull (strstr (result.detail, "and virtqemud on hosta can raise that."));
  mw_check_result_clear (&result);

  /* A <hard_limit> under what QEMU may lock already: libvirt has nothing to raise. */
  g_assert_true (mw_migration_caps_set_domain_xml (capped, "<domain><memory>262144</memory>"
                                                   "<memtune><hard_limit>8192</hard_limit>"
                                                   "</memtune></domain>", &error));
  mw_check_eval_zerocopy (chosen, capped, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  mw_check_result_clear (&result);

  /* Not known (no ssh, another transport): passes, and says so. */
  mw_check_eval_zerocopy (chosen, unknown, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  g_assert_nonnull (strstr (result.sentence, "last word"));
  mw_check_result_clear (&result);
}

/* The spec in the table, run the way MwPreflight runs it: test:/// is not probed. */
static void
test_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwCheckFacts) facts = mw_check_facts_new ("test:///default", "test:///default",
                                                      "test", NULL);
  MwCheckContext context = { facts, NULL, NULL, 10 };
  const MwCheckSpec *specs;
  const MwCheckSpec *spec = NULL;
  MwCheckResult result = { 0 };
  guint n_specs = 0;

  specs = mw_check_specs_get (&n_specs);
  for (guint i = 0; i < n_specs; i++)
    if (g_str_equal (specs[i].id, "zero-copy"))
      spec = &specs[i];
  g_assert_nonnull (spec);
  g_assert_true (spec->run == mw_check_run_zerocopy);
  g_assert_true (spec->needs & MW_CHECK_NEEDS_DOMAIN);
  spec->run (&context, &result, NULL);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  mw_check_result_clear (&result);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/zerocopy/lab-refuses", test_lab_refuses);
  g_test_add_func ("/mw/checks/zerocopy/allowed", test_allowed);
  g_test_add_func ("/mw/checks/zerocopy/spec", test_spec);

  return g_test_run ();
}
