/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-caps.c: which newer option works on which pair, and the sentence why not;
 * pure decisions on fake versions, then the facts read from test:///default. */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-migration-caps.h"

#define V(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)

static MwMigrationCaps *
pair (gulong a_libvirt,
      gulong a_qemu,
      gulong b_libvirt,
      gulong b_qemu)
{
  MwMigrationCaps *caps = mw_migration_caps_new ();

  caps->source = (MwMigrationHostFacts) { g_strdup ("hosta"), a_libvirt, a_qemu, 8 };
  caps->destination = (MwMigrationHostFacts) { g_strdup ("hostb"), b_libvirt, b_qemu, 4 };
  caps->memory_locked = TRUE;
  return caps;
}

static void
assert_why (MwMigrationCaps    *caps,
            MwMigrationFeature  feature,
            const char         *expected)
{
  g_autofree char *why = mw_migration_caps_why_not (caps, feature);

  g_assert_cmpstr (why, ==, expected);
}

static void
test_versions (void)
{
  /* Debian 12 on one side, the lab's backports on the other. */
  g_autoptr(MwMigrationCaps) mixed = pair (V (11, 3), V (10, 0), V (9, 0), V (7, 2));
  /* The lab: libvirt 11.3, QEMU 10.0 on both. */
  g_autoptr(MwMigrationCaps) lab = pair (V (11, 3), V (10, 0), V (11, 3), V (10, 0));
  /* Debian 12 on both. */
  g_autoptr(MwMigrationCaps) bookworm = pair (V (9, 0), V (7, 2), V (9, 0), V (7, 2));
  /* Old enough for nothing new (Debian 10). */
  g_autoptr(MwMigrationCaps) buster = pair (V (5, 0), V (3, 1), V (9, 0), V (7, 2));
  /* Versions not known: nothing is greyed. */
  g_autoptr(MwMigrationCaps) unknown = pair (0, 0, 0, 0);

  assert_why (mixed, MW_MIGRATION_FEATURE_ZLIB, "Needs libvirt 9.4 on both hosts; hostb has 9.0.");
  assert_why (mixed, MW_MIGRATION_FEATURE_ZSTD, "Needs libvirt 9.4 on both hosts; hostb has 9.0.");
  assert_why (mixed, MW_MIGRATION_FEATURE_MT,
              "QEMU removed multithread compression in 9.1; hosta has 10.0.");
  assert_why (mixed, MW_MIGRATION_FEATURE_PARALLEL, NULL);
  assert_why (mixed, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);
  assert_why (mixed, MW_MIGRATION_FEATURE_XBZRLE, NULL);

  assert_why (lab, MW_MIGRATION_FEATURE_ZSTD, NULL);
  assert_why (lab, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);
  assert_why (lab, MW_MIGRATION_FEATURE_MT,
              "QEMU removed multithread compression in 9.1; hosta has 10.0.");

  assert_why (bookworm, MW_MIGRATION_FEATURE_MT, NULL);
  assert_why (bookworm, MW_MIGRATION_FEATURE_ZLIB,
              "Needs libvirt 9.4 on both hosts; hosta has 9.0.");

  assert_why (buster, MW_MIGRATION_FEATURE_PARALLEL,
              "Needs libvirt 5.2 on both hosts; hosta has 5.0.");
  assert_why (buster, MW_MIGRATION_FEATURE_ZEROCOPY,
              "Needs libvirt 8.5 on both hosts; hosta has 5.0.");
  buster->source.libvirt_version = V (8, 5);
  assert_why (buster, MW_MIGRATION_FEATURE_ZEROCOPY,
              "Needs QEMU 7.1 on both hosts; hosta has 3.1.");

  for (guint f = 0; f < MW_MIGRATION_N_FEATURES; f++)
    assert_why (unknown, f, NULL);
}

static void
test_locked_memory (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (11, 3), V (10, 0), V (11, 3), V (10, 0));
  g_autoptr(GError) error = NULL;
  const char *locked = "<domain><memoryBacking><locked/></memoryBacking></domain>";
  const char *capped = "<domain><memtune><hard_limit unit='KiB'>2097152</hard_limit>"
                       "</memtune></domain>";
  const char *capped_mib = "<domain><memtune><hard_limit unit='MiB'>2048</hard_limit>"
                           "</memtune></domain>";
  const char *neither = "<domain><memoryBacking><hugepages/></memoryBacking></domain>";

  g_assert_true (mw_migration_caps_set_domain_xml (caps, neither, &error));
  g_assert_no_error (error);
  g_assert_false (caps->memory_locked);
  g_assert_cmpuint (caps->hard_limit_kib, ==, 0);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY,
              "Needs the guest’s memory locked: add <locked/> under <memoryBacking>, or a "
              "<hard_limit> under <memtune>, to its definition.");
  /* Only zero-copy pins pages. */
  assert_why (caps, MW_MIGRATION_FEATURE_PARALLEL, NULL);

  g_assert_true (mw_migration_caps_set_domain_xml (caps, locked, &error));
  g_assert_true (caps->memory_locked);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);

  g_assert_true (mw_migration_caps_set_domain_xml (caps, capped, &error));
  g_assert_false (caps->memory_locked);
  g_assert_cmpuint (caps->hard_limit_kib, ==, 2097152);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);

  g_assert_true (mw_migration_caps_set_domain_xml (caps, capped_mib, &error));
  g_assert_cmpuint (caps->hard_limit_kib, ==, 2097152);

  g_assert_false (mw_migration_caps_set_domain_xml (caps, "<domain>", &error));
  g_assert_nonnull (error);
}

static void
test_check_options (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (11, 3), V (10, 0), V (9, 0), V (7, 2));
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;

  /* Nothing new asked: nothing to refuse. */
  g_assert_cmpint (mw_migration_caps_next_needed (options, 0), ==, MW_MIGRATION_N_FEATURES);
  g_assert_true (mw_migration_caps_check (caps, options, &error));

  options->parallel_connections = 2;
  g_assert_true (mw_migration_caps_check (caps, options, &error));
  g_assert_no_error (error);

  options->compression = MW_MIGRATION_COMPRESSION_ZSTD;
  g_assert_cmpint (mw_migration_caps_next_needed (options, 0), ==, MW_MIGRATION_FEATURE_PARALLEL);
  g_assert_cmpint (mw_migration_caps_next_needed (options, MW_MIGRATION_FEATURE_PARALLEL + 1),
                   ==, MW_MIGRATION_FEATURE_ZSTD);
  g_assert_false (mw_migration_caps_check (caps, options, &error));
  g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "Needs libvirt 9.4 on both hosts; hostb has 9.0.");
  g_clear_error (&error);

  caps->destination.libvirt_version = V (9, 4);
  g_assert_true (mw_migration_caps_check (caps, options, &error));
}

static void
test_default_parallel (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (11, 3), V (10, 0), V (11, 3), V (10, 0));
  g_autofree char *why = NULL;
  g_autofree char *why_small = NULL;
  g_autofree char *why_unknown = NULL;

  /* 8 and 4 CPUs: 4. */
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, &why), ==, 4);
  g_assert_cmpstr (why, ==, "4 connections: hosta has 8 CPUs and hostb 4; each connection keeps "
                            "one CPU busy on both hosts, and past 4 the link is the limit.");
  caps->source.cpus = 16;
  caps->destination.cpus = 32;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, NULL), ==, 4);
  caps->destination.cpus = 2;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, &why_small), ==, 2);
  g_assert_nonnull (strstr (why_small, "hostb 2"));
  caps->source.cpus = 0;
  caps->destination.cpus = 0;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, &why_unknown), ==, 2);
  g_assert_nonnull (strstr (why_unknown, "QEMU’s own default"));
}

/* The facts as test:///default reports them, read the way the CLI and the wizard read them. */
static void
test_read_test_driver (void)
{
  g_autoptr(MwMigrationCaps) caps = NULL;
  g_autoptr(MwMigrationCaps) faked = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr conn = virConnectOpen ("test:///default");
  unsigned long libvirt_version = 0;
  unsigned long hv_version = 0;
  virNodeInfo info;

  g_assert_nonnull (conn);
  g_assert_cmpint (virConnectGetLibVersion (conn, &libvirt_version), ==, 0);
  g_assert_cmpint (virConnectGetVersion (conn, &hv_version), ==, 0);
  g_assert_cmpint (virNodeGetInfo (conn, &info), ==, 0);
  virConnectClose (conn);

  caps = mw_migration_caps_read ("test:///default", "test:///default", "test", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (caps);
  g_assert_cmpuint (caps->source.libvirt_version, ==, libvirt_version);
  g_assert_cmpuint (caps->destination.qemu_version, ==, hv_version);
  g_assert_cmpuint (caps->source.cpus, ==, info.cpus);
  g_assert_cmpstr (caps->destination.name, ==, "Test: default");
  /* The test driver's "test" guest locks nothing. */
  g_assert_false (caps->memory_locked);
  g_assert_cmpuint (caps->hard_limit_kib, ==, 0);

  /* No such guest: the host's "no domain" error. */
  g_assert_null (mw_migration_caps_read ("test:///default", "test:///default", "nosuch", NULL,
                                         &error));
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN);
  g_clear_error (&error);

  /* The UI test's hook: the destination claims Debian 12's versions. */
  mw_migration_caps_set_fake_versions (0, V (10, 0), V (9, 0), V (7, 2));
  faked = mw_migration_caps_read ("test:///default", "test:///default", NULL, NULL, &error);
  mw_migration_caps_set_fake_versions (0, 0, 0, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (faked->source.libvirt_version, ==, libvirt_version);
  g_assert_cmpuint (faked->destination.libvirt_version, ==, V (9, 0));
  assert_why (faked, MW_MIGRATION_FEATURE_ZLIB,
              "Needs libvirt 9.4 on both hosts; Test: default has 9.0.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/migration-caps/versions", test_versions);
  g_test_add_func ("/mw/migration-caps/locked-memory", test_locked_memory);
  g_test_add_func ("/mw/migration-caps/check-options", test_check_options);
  g_test_add_func ("/mw/migration-caps/default-parallel", test_default_parallel);
  g_test_add_func ("/mw/migration-caps/read-test-driver", test_read_test_driver);

  return g_test_run ();
}
