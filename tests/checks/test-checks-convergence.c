/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checks-convergence.c: the convergence forecast's model (the pre-copy series, the
 * working set, the verdict), on crafted facts (checks-test-facts.h). */

#include "config.h"

#include <string.h>

#include "checks-test-facts.h"
#include "mw-libvirt.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/forecast-predict", test_forecast_predict);
  g_test_add_func ("/mw/checks/forecast-working-set", test_forecast_working_set);
  g_test_add_func ("/mw/checks/forecast-eval", test_forecast_eval);

  return g_test_run ();
}
