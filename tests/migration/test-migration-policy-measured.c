/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migration-policy-measured.c: the recommended policy with the guest's dirty rate measured
 * first (mw-dirty-rate.h), as the wizard's "Use Recommended" and the CLI's --policy without
 * --dirty-mib-s ask for it. libvirt's test driver has no dirty-rate calculation, so here the
 * measurement fails and the policy must say so and take the rate as not known; a measured rate
 * is exercised in the lab (bench/bench-policy). */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "mw-dirty-rate.h"
#include "mw-libvirt.h"
#include "mw-migration-policy.h"

#define MIB (G_GUINT64_CONSTANT (1) << 20)

static void
init_input (MwMigrationPolicyInput *input)
{
  mw_migration_policy_input_init (input);
  input->link_bps = 32 * MIB;
  input->memory_bytes = 256 * MIB;
  input->max_downtime_ms = 500;
}

static void
test_describe (void)
{
  MwDirtyRate rate = { 44 * MIB, 1 };
  g_autofree char *text = mw_dirty_rate_describe (&rate);
  g_autofree char *idle = NULL;

  g_assert_cmpstr (text, ==, "The guest is dirtying about 44 MiB/s (measured over 1 s).");
  rate.bytes_per_second = 0;
  rate.seconds = 3;
  idle = mw_dirty_rate_describe (&rate);
  g_assert_cmpstr (idle, ==, "The guest is dirtying no memory (measured over 3 s).");
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The test driver refuses the calculation with libvirt's own words. */
static void
test_probe_unsupported (void)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  MwDirtyRate rate = { 7, 7 };

  g_assert_false (mw_dirty_rate_measure ("test:///default", "test", 1, NULL, &rate, &error));
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_SUPPORT);
  g_assert_nonnull (strstr (error->message, "virDomainStartDirtyRateCalc"));
  g_assert_cmpuint (rate.bytes_per_second, ==, 7);
  g_clear_error (&error);

  g_assert_false (mw_dirty_rate_measure ("test:///default", "no-such-guest", 1, NULL, &rate,
                                         &error));
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN);
  g_clear_error (&error);

  /* The same from a thread. */
  mw_dirty_rate_measure_async ("test:///default", "test", 1, NULL, on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (mw_dirty_rate_measure_finish (result, &rate, &error));
  g_clear_object (&result);
  g_assert_error (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_SUPPORT);
}

/* Not measured: the first reason says why, and the policy is the one for an unknown rate
 * (auto-converge, post-copy after the first pass). */
static void
test_not_measured (void)
{
  g_autoptr(MwMigrationOptions) base = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationOptions) options = NULL;
  g_autoptr(MwMigrationOptions) unknown = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;
  g_auto(GStrv) unknown_reasons = NULL;
  MwMigrationPolicyInput input;

  init_input (&input);
  options = mw_migration_policy_recommend_measured (base, &input, "test:///default", "test",
                                                    NULL, &reasons, &error);
  g_assert_no_error (error);
  g_assert_nonnull (options);
  g_assert_cmpuint (g_strv_length (reasons), ==, 7);
  g_assert_true (g_str_has_prefix (reasons[0], "The guest’s dirty rate could not be measured "
                                               "(this function is not supported by the "
                                               "connection driver: "
                                               "virDomainStartDirtyRateCalc), so the policy "
                                               "takes it as not known."));
  unknown = mw_migration_policy_recommend (base, &input, &unknown_reasons);
  g_assert_true (mw_migration_options_equal (options, unknown));
  for (guint i = 0; unknown_reasons[i] != NULL; i++)
    g_assert_cmpstr (reasons[i + 1], ==, unknown_reasons[i]);
  g_assert_true (options->auto_converge);
  g_assert_true (options->postcopy);
}

/* A rate given (the CLI's --dirty-mib-s) is not measured again: the host is never asked. */
static void
test_given (void)
{
  g_autoptr(MwMigrationOptions) base = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;
  MwMigrationPolicyInput input;

  init_input (&input);
  input.dirty_rate_bps = 0;
  options = mw_migration_policy_recommend_measured (base, &input, "qemu+tcp://nowhere.invalid/"
                                                    "system", "guest", NULL, &reasons, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (reasons), ==, 6);
  g_assert_true (g_str_has_prefix (reasons[0], "Live:"));
  g_assert_false (options->auto_converge);
  g_assert_false (options->postcopy);
}

/* In a thread, as the wizard asks; cancelled (the page went, or the user asked again): nothing
 * comes back but the cancellation, even though the worker finished. */
static void
test_async (void)
{
  g_autoptr(MwMigrationOptions) base = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationOptions) options = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) reasons = NULL;
  GAsyncResult *result = NULL;
  MwMigrationPolicyInput input;

  init_input (&input);
  mw_migration_policy_recommend_measured_async (base, &input, "test:///default", "test", NULL,
                                                on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  options = mw_migration_policy_recommend_measured_finish (result, &reasons, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_nonnull (options);
  g_assert_true (g_str_has_prefix (reasons[0], "The guest’s dirty rate could not be measured"));

  mw_migration_policy_recommend_measured_async (base, &input, "test:///default", "test",
                                                cancellable, on_done_cb, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&options, mw_migration_options_free);
  options = mw_migration_policy_recommend_measured_finish (result, NULL, &error);
  g_clear_object (&result);
  g_assert_null (options);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();
  g_test_add_func ("/mw/migration-policy/measured/describe", test_describe);
  g_test_add_func ("/mw/migration-policy/measured/probe-unsupported", test_probe_unsupported);
  g_test_add_func ("/mw/migration-policy/measured/not-measured", test_not_measured);
  g_test_add_func ("/mw/migration-policy/measured/given", test_given);
  g_test_add_func ("/mw/migration-policy/measured/async", test_async);
  return g_test_run ();
}
