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

/* The probe's output as the lab's hosta printed it (libvirtd bounded without CAP_SYS_RESOURCE,
 * QEMU at the 8 MiB default), and as a stock Debian 12 host prints it (root virtqemud with every
 * capability). */
#define PROBE_LAB "daemon libvirtd\nCapEff:\t000001fffeffffff\n" \
                  "Max locked memory         8388608              8388608              bytes     \n"
#define PROBE_STOCK "daemon virtqemud\nCapEff:\t000001ffffffffff\n" \
                    "Max locked memory         8388608              8388608              bytes     \n"
#define PROBE_UNLIMITED "daemon libvirtd\nCapEff:\t0000000000000000\n" \
                        "Max locked memory         unlimited            unlimited            bytes\n"
#define GUEST_256 "<domain><memory unit='KiB'>262144</memory></domain>"

static void
test_memlock (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (11, 3), V (10, 0), V (11, 3), V (10, 0));
  g_autoptr(GError) error = NULL;
  g_autofree char *fix = NULL;
  const char *capped = "<domain><memory unit='GiB'>4</memory><memtune>"
                       "<hard_limit unit='MiB'>6</hard_limit></memtune></domain>";
  const char *locked = "<domain><memory unit='KiB'>262144</memory>"
                       "<memoryBacking><locked/></memoryBacking></domain>";

  /* Not probed: libvirt has the last word, nothing greyed. A guest needs nothing in its
   * definition: libvirt raises the limit itself. */
  g_assert_true (mw_migration_caps_set_domain_xml (caps, GUEST_256, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (caps->memory_kib, ==, 262144);
  g_assert_cmpuint (mw_migration_caps_memlock_needed (caps), ==, 256 * 1024 * 1024);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);

  /* The lab: the daemon cannot raise 8 MiB to 256 MiB. */
  mw_migration_caps_set_memlock_probe (caps, PROBE_LAB);
  g_assert_cmpint (caps->memlock_raise, ==, MW_MEMLOCK_FIXED);
  g_assert_cmpuint (caps->memlock_bytes, ==, 8388608);
  g_assert_cmpstr (caps->memlock_daemon, ==, "libvirtd");
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY,
              "Needs the guest’s QEMU on hosta allowed to lock 256 MiB: libvirt raises that "
              "limit for zero-copy, but libvirtd there lacks CAP_SYS_RESOURCE, and the limit is "
              "8.0 MiB.");
  /* Only zero-copy pins pages. */
  assert_why (caps, MW_MIGRATION_FEATURE_PARALLEL, NULL);
  fix = mw_migration_caps_memlock_fix (caps);
  g_assert_nonnull (strstr (fix, "systemctl edit libvirtd"));
  g_assert_nonnull (strstr (fix, "LimitMEMLOCK=infinity"));
  g_clear_pointer (&fix, g_free);

  /* libvirt takes the hard limit when one is set: 6 MiB fits under 8 MiB. */
  g_assert_true (mw_migration_caps_set_domain_xml (caps, capped, &error));
  g_assert_cmpuint (caps->hard_limit_kib, ==, 6144);
  g_assert_cmpuint (mw_migration_caps_memlock_needed (caps), ==, 6 * 1024 * 1024);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);
  g_assert_null (mw_migration_caps_memlock_fix (caps));

  /* <locked/>: libvirt started QEMU with an unlimited limit, nothing to raise. */
  g_assert_true (mw_migration_caps_set_domain_xml (caps, locked, &error));
  g_assert_true (caps->memory_locked);
  mw_migration_caps_set_memlock_probe (caps, PROBE_UNLIMITED);
  g_assert_cmpuint (caps->memlock_bytes, ==, G_MAXUINT64);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);

  /* A stock host: the daemon has CAP_SYS_RESOURCE and raises 8 MiB itself. */
  g_assert_true (mw_migration_caps_set_domain_xml (caps, GUEST_256, &error));
  mw_migration_caps_set_memlock_probe (caps, PROBE_STOCK);
  g_assert_cmpint (caps->memlock_raise, ==, MW_MEMLOCK_CAN_RAISE);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);

  /* The guest not running (no QEMU line), or nothing printed: unknown, not greyed. */
  mw_migration_caps_set_memlock_probe (caps, "daemon libvirtd\nCapEff:\t000001fffeffffff\n");
  g_assert_cmpuint (caps->memlock_bytes, ==, 0);
  assert_why (caps, MW_MIGRATION_FEATURE_ZEROCOPY, NULL);
  mw_migration_caps_set_memlock_probe (caps, "");
  g_assert_cmpint (caps->memlock_raise, ==, MW_MEMLOCK_UNKNOWN);
  mw_migration_caps_set_memlock_probe (caps, "CapEff:\tzz\nMax locked memory x y z\n");
  g_assert_cmpint (caps->memlock_raise, ==, MW_MEMLOCK_UNKNOWN);
  g_assert_cmpuint (caps->memlock_bytes, ==, 0);

  g_assert_false (mw_migration_caps_set_domain_xml (caps, "<domain>", &error));
  g_assert_nonnull (error);
}

/* The probe script itself, run here against a fake /run: it must print what the parser reads.
 * (It reads libvirt's pid files, so without libvirt here it prints nothing: unknown.) */
static void
test_memlock_command (void)
{
  g_auto(GStrv) argv = mw_migration_caps_memlock_command ("lab'guest");
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_cmpuint (g_strv_length (argv), ==, 5);
  g_assert_cmpstr (argv[4], ==, "lab'guest");
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
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

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define MIB (G_GUINT64_CONSTANT (1) << 20)

static void
test_default_parallel (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (11, 3), V (10, 0), V (11, 3), V (10, 0));
  g_autofree char *why = NULL;
  g_autofree char *why_cpus = NULL;
  g_autofree char *why_unknown = NULL;
  g_autofree char *why_one = NULL;

  /* 8 and 4 CPUs (at most 2), a 25 Gbit/s link (3 at 1 GiB/s each): the CPUs decide. */
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 25000000000 / 8, &why_cpus), ==, 2);
  g_assert_cmpstr (why_cpus, ==, "2 connections: hosta has 8 CPUs and hostb 4, each connection "
                                 "keeps one CPU busy on both, and half of them stay with the "
                                 "guests.");
  /* Bigger hosts: the link decides, rounded up. */
  caps->source.cpus = 32;
  caps->destination.cpus = 64;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 25000000000 / 8, &why), ==, 3);
  g_assert_cmpstr (why, ==, "3 connections: the link carries 2.9 GiB a second, and one "
                            "connection moves about 1 GiB a second with one CPU busy on each "
                            "host.");
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 1 * GIB, NULL), ==, 1);
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, GIB + 1, NULL), ==, 2);
  /* 100 Gbit/s: 12, within 16. */
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 100000000000 / 8, NULL), ==, 12);
  /* The lab's 64 MiB/s cap: one connection is plenty. */
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 64 * MIB, &why_one), ==, 1);
  g_assert_cmpstr (why_one, ==, "1 connection: the link carries 64 MiB a second, and one "
                                "connection moves about 1 GiB a second with one CPU busy on "
                                "each host.");
  /* Link not known: QEMU's 2, unless a host has fewer than 4 CPUs. */
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 0, &why_unknown), ==, 2);
  g_assert_nonnull (strstr (why_unknown, "QEMU’s own default"));
  caps->destination.cpus = 2;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 0, NULL), ==, 1);
  caps->destination.cpus = 1;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 100 * GIB, NULL), ==, 1);
  /* CPUs not known: the link alone, at most 16. */
  caps->source.cpus = 0;
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 100 * GIB, NULL), ==, 16);
  g_assert_cmpuint (mw_migration_caps_default_parallel (caps, 0, NULL), ==, 2);
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
  /* The test driver's "test" guest locks nothing, and test:/// is not probed. */
  g_assert_false (caps->memory_locked);
  g_assert_cmpuint (caps->hard_limit_kib, ==, 0);
  g_assert_cmpuint (caps->memory_kib, >, 0);
  g_assert_cmpint (caps->memlock_raise, ==, MW_MEMLOCK_UNKNOWN);

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
  g_test_add_func ("/mw/migration-caps/memlock", test_memlock);
  g_test_add_func ("/mw/migration-caps/memlock-command", test_memlock_command);
  g_test_add_func ("/mw/migration-caps/check-options", test_check_options);
  g_test_add_func ("/mw/migration-caps/default-parallel", test_default_parallel);
  g_test_add_func ("/mw/migration-caps/read-test-driver", test_read_test_driver);

  return g_test_run ();
}
