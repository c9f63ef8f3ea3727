/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-policy.c: the recommended policy's decisions and their sentences, on the lab's
 * pair (libvirt 11.3, QEMU 10.0, 2 CPUs, a 256 MiB guest) and on pairs that lack something. */

#include "config.h"

#include "mw-migration-policy.h"

#define V(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)
#define MIB (G_GUINT64_CONSTANT (1) << 20)

static MwMigrationCaps *
pair (gulong b_qemu,
      guint  cpus)
{
  MwMigrationCaps *caps = mw_migration_caps_new ();

  caps->source = (MwMigrationHostFacts) { g_strdup ("hosta"), V (11, 3), V (10, 0), cpus };
  caps->destination = (MwMigrationHostFacts) { g_strdup ("hostb"), V (11, 3), b_qemu, cpus };
  caps->memory_kib = 256 * 1024;
  return caps;
}

/* The lab's 32 MiB/s link, measured; dirty_mib_s < 0: not measured. */
static MwMigrationOptions *
recommend (const MwMigrationCaps     *caps,
           const MwMigrationOptions  *base,
           gint64                     dirty_mib_s,
           GStrv                     *reasons)
{
  g_autoptr(MwMigrationOptions) defaults = mw_migration_options_new_defaults ();
  MwMigrationPolicyInput input;
  MwMigrationOptions *options;
  g_autoptr(GError) error = NULL;

  mw_migration_policy_input_init (&input);
  input.caps = caps;
  input.link_bps = 32 * MIB;
  input.dirty_rate_bps = dirty_mib_s < 0 ? -1 : dirty_mib_s * (gint64) MIB;
  input.max_downtime_ms = 500;
  options = mw_migration_policy_recommend (base != NULL ? base : defaults, &input, reasons);
  /* Whatever it recommends, libvirt and this pair must accept. */
  g_assert_true (mw_migration_options_validate (options, &error));
  g_assert_no_error (error);
  if (caps != NULL)
    g_assert_true (mw_migration_caps_check (caps, options, &error));
  g_assert_no_error (error);
  /* One sentence per decision: live, downtime, bandwidth, parallel, convergence, compression. */
  g_assert_cmpuint (g_strv_length (*reasons), ==, 6);
  return options;
}

static void
test_idle (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 2);
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) o = recommend (caps, NULL, 0, &reasons);

  g_assert_cmpint (o->mode, ==, MW_MIGRATION_MODE_LIVE);
  g_assert_cmpuint (o->max_downtime_ms, ==, 500);
  g_assert_cmpuint (o->bandwidth_mib_s, ==, 0);
  g_assert_false (o->auto_converge);
  g_assert_false (o->postcopy);
  g_assert_cmpuint (o->parallel_connections, ==, 0);
  g_assert_cmpint (o->compression, ==, MW_MIGRATION_COMPRESSION_NONE);
  g_assert_cmpstr (reasons[0], ==, "Live: the guest keeps running while its memory is copied.");
  g_assert_cmpstr (reasons[1], ==, "Maximum downtime 500 ms, your limit: the guest pauses at "
                                   "most that long at the switch-over.");
  g_assert_cmpstr (reasons[2], ==, "No bandwidth cap: the migration may use the whole link "
                                   "(32 MiB/s measured).");
  g_assert_cmpstr (reasons[3], ==, "One stream: one connection fills a link of 32 MiB/s.");
  g_assert_cmpstr (reasons[4], ==, "Neither auto-converge nor post-copy: the guest is idle, so "
                                   "one pass over 256 MiB at 32 MiB/s finishes it.");
  g_assert_true (g_str_has_prefix (reasons[5], "No compression:"));
}

static void
test_below_link (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 2);
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) below = recommend (caps, NULL, 8, &reasons);
  g_auto(GStrv) slow_reasons = NULL;
  g_autoptr(MwMigrationOptions) slow = NULL;

  /* 8 of 32 MiB/s: pre-copy finishes within a few passes on its own. */
  g_assert_false (below->auto_converge);
  g_assert_false (below->postcopy);
  g_assert_true (g_str_has_prefix (reasons[4], "Neither auto-converge nor post-copy: the guest "
                                               "dirties 8.0 MiB/s while the link moves "
                                               "32 MiB/s, so pre-copy should finish in about"));
  /* 30 of 32: it would finish, but only after many passes: auto-converge, no post-copy. */
  slow = recommend (caps, NULL, 30, &slow_reasons);
  g_assert_true (slow->auto_converge);
  g_assert_false (slow->postcopy);
  g_assert_true (g_str_has_prefix (slow_reasons[4], "Auto-converge: the guest dirties 30 MiB/s"));
}

static void
test_above_link (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 2);
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) o = recommend (caps, NULL, 64, &reasons);

  /* Post-copy after one pass: 256 MiB at 32 MiB/s is 8 s, and a second for the start. */
  g_assert_true (o->postcopy);
  g_assert_cmpuint (o->postcopy_after_s, ==, 9);
  g_assert_false (o->auto_converge);
  g_assert_cmpuint (o->parallel_connections, ==, 0);
  g_assert_cmpint (o->compression, ==, MW_MIGRATION_COMPRESSION_NONE);
  g_assert_cmpstr (reasons[3], ==, "One stream: post-copy is chosen, and this policy does not "
                                   "combine it with parallel connections (QEMU refused the pair "
                                   "before 10.1).");
  g_assert_cmpstr (reasons[4], ==, "Post-copy after the first pass (9 s): the guest dirties "
                                   "64 MiB/s, at least what the link moves (32 MiB/s), so "
                                   "pre-copy alone would never finish; after one full pass the "
                                   "guest runs on the destination and fetches the rest.");
}

static void
test_no_postcopy_host (void)
{
  /* hostb's QEMU predates post-copy: auto-converge and XBZRLE on the slow link instead. */
  g_autoptr(MwMigrationCaps) caps = pair (V (2, 4), 2);
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) o = recommend (caps, NULL, 64, &reasons);

  g_assert_false (o->postcopy);
  g_assert_true (o->auto_converge);
  g_assert_cmpint (o->compression, ==, MW_MIGRATION_COMPRESSION_XBZRLE);
  g_assert_true (g_str_has_suffix (reasons[4], "since post-copy cannot work here. Needs QEMU "
                                               "2.5 on both hosts; hostb has 2.4."));
  g_assert_true (g_str_has_prefix (reasons[5], "XBZRLE compression: on a link of 32 MiB/s"));
}

static void
test_tunnelled (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 32);
  g_autoptr(MwMigrationOptions) base = mw_migration_options_new_defaults ();
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) o = NULL;

  base->connection = MW_MIGRATION_CONNECTION_TUNNELLED;
  o = recommend (caps, base, 64, &reasons);
  /* The user's transport stays; neither post-copy nor parallel streams go through a tunnel. */
  g_assert_cmpint (o->connection, ==, MW_MIGRATION_CONNECTION_TUNNELLED);
  g_assert_false (o->postcopy);
  g_assert_true (o->auto_converge);
  g_assert_cmpuint (o->parallel_connections, ==, 0);
  g_assert_true (g_str_has_prefix (reasons[3], "One stream: a tunnelled migration"));
  g_assert_true (g_str_has_suffix (reasons[4], "A tunnelled migration cannot switch to "
                                               "post-copy."));
}

static void
test_fast_link (void)
{
  /* 10 GiB/s between hosts of 16 CPUs, idle guest: 8 connections (half the CPUs). */
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 16);
  g_autoptr(MwMigrationOptions) defaults = mw_migration_options_new_defaults ();
  g_auto(GStrv) reasons = NULL;
  g_autoptr(MwMigrationOptions) o = NULL;
  MwMigrationPolicyInput input;

  mw_migration_policy_input_init (&input);
  input.caps = caps;
  input.link_bps = 10240 * MIB;
  input.dirty_rate_bps = 0;
  o = mw_migration_policy_recommend (defaults, &input, &reasons);
  g_assert_cmpuint (o->parallel_connections, ==, 8);
  g_assert_cmpuint (o->max_downtime_ms, ==, 0);
  g_assert_true (g_str_has_prefix (reasons[1], "Maximum downtime left at QEMU’s 300 ms"));
  g_assert_true (g_str_has_prefix (reasons[3], "8 connections: hosta has 16 CPUs"));
  g_assert_true (mw_migration_caps_check (caps, o, NULL));
}

static void
test_unknown (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 2);
  g_autoptr(MwMigrationOptions) base = mw_migration_options_new_defaults ();
  g_auto(GStrv) reasons = NULL;
  g_auto(GStrv) blind_reasons = NULL;
  g_autoptr(MwMigrationOptions) o = NULL;
  g_autoptr(MwMigrationOptions) blind = NULL;
  MwMigrationPolicyInput input;

  /* The dirty rate not measured: auto-converge, and post-copy after the first pass. */
  o = recommend (caps, NULL, -1, &reasons);
  g_assert_true (o->auto_converge);
  g_assert_true (o->postcopy);
  g_assert_cmpuint (o->postcopy_after_s, ==, 9);

  /* Nothing known, and a zero-copy choice that no longer fits: both made safe. */
  base->zerocopy = TRUE;
  base->parallel_connections = 4;
  mw_migration_policy_input_init (&input);
  blind = mw_migration_policy_recommend (base, &input, &blind_reasons);
  g_assert_true (mw_migration_options_validate (blind, NULL));
  g_assert_true (blind->postcopy);
  g_assert_cmpuint (blind->postcopy_after_s, ==, 0);
  g_assert_false (blind->zerocopy);
  g_assert_cmpuint (blind->parallel_connections, ==, 0);
  g_assert_cmpuint (g_strv_length (blind_reasons), ==, 6);
}

static void
test_user_cap (void)
{
  g_autoptr(MwMigrationCaps) caps = pair (V (10, 0), 2);
  g_autoptr(MwMigrationOptions) defaults = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationOptions) o = NULL;
  g_auto(GStrv) reasons = NULL;
  MwMigrationPolicyInput input;

  mw_migration_policy_input_init (&input);
  input.caps = caps;
  input.link_bps = 64 * MIB;
  input.link_is_cap = TRUE;
  input.dirty_rate_bps = 0;
  o = mw_migration_policy_recommend (defaults, &input, &reasons);
  g_assert_cmpuint (o->bandwidth_mib_s, ==, 64);
  g_assert_cmpstr (reasons[2], ==, "Bandwidth capped at 64 MiB/s, as you asked.");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/migration-policy/idle", test_idle);
  g_test_add_func ("/mw/migration-policy/below-link", test_below_link);
  g_test_add_func ("/mw/migration-policy/above-link", test_above_link);
  g_test_add_func ("/mw/migration-policy/no-postcopy-host", test_no_postcopy_host);
  g_test_add_func ("/mw/migration-policy/tunnelled", test_tunnelled);
  g_test_add_func ("/mw/migration-policy/fast-link", test_fast_link);
  g_test_add_func ("/mw/migration-policy/unknown", test_unknown);
  g_test_add_func ("/mw/migration-policy/user-cap", test_user_cap);
  return g_test_run ();
}
