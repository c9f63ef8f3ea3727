/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pre-flight forecast against what the lab recorded (issue #10): the pause libvirt reported,
 * the memory passes it counted and what was left at the switch-over must lie in the ranges the
 * forecast gives, for every recorded run; and the words say only what the model knows. */
#include "config.h"

#include <string.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"

#define MIB (1024 * 1024)

/* One lab run (libvirt 11.3, QEMU 10.0 under TCG, labguest with 256 MiB): the forecast's
 * inputs, then libvirt's record of the finished job (virsh domjobinfo --completed) and the
 * least left to copy in the last pass before the switch-over (the samples). 0: not recorded. */
typedef struct
{
  const char *name;
  guint dirty_mib_s;
  guint cap_mib_s;      /* 0: none (the forecast assumes 100 MiB/s) */
  guint downtime_ms;
  guint passes;
  guint left_mib;
} Recorded;

static const Recorded recorded[] = {
  /* tests/data/estimate-*.csv (bench/run-bench-estimate, cap 32 MiB/s) */
  { "estimate-idle", 0, 32, 216, 3, 8 },
  { "estimate-below", 12, 32, 162, 8, 8 },
  /* issue #10: dirtying 48 MiB/s under a 64 MiB/s cap, converged with 15 MiB left */
  { "issue-load-35", 48, 64, 35, 0, 15 },
  { "issue-load-44", 48, 64, 44, 0, 15 },
  /* issue #10: idle */
  { "issue-idle-71", 0, 0, 71, 0, 0 },
  { "issue-idle-183", 0, 0, 183, 0, 0 },
  /* tests/lab scenarios' reports: idle, no cap, there and back */
  { "lab-there", 0, 0, 224, 3, 0 },
  { "lab-back", 0, 0, 215, 3, 0 },
  { "evacuate-one", 0, 0, 140, 3, 0 },
};

static void
test_forecast_recorded (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();

  for (guint i = 0; i < G_N_ELEMENTS (recorded); i++)
    {
      const Recorded *run = &recorded[i];
      guint64 link = (guint64) (run->cap_mib_s != 0 ? run->cap_mib_s : 100) * MIB;
      MwForecast forecast;

      options->bandwidth_mib_s = run->cap_mib_s;
      mw_forecast_predict_raw (256 * MIB, (guint64) run->dirty_mib_s * MIB, 0, link, 100 * MIB,
                               options, &forecast);
      g_test_message ("%s: pause %u ms (%u-%u), passes %u (%u-%u), switch-over at %"
                      G_GUINT64_FORMAT " MiB; recorded %u ms, %u passes, %u MiB", run->name,
                      forecast.downtime_ms,
                      forecast.downtime_min_ms, forecast.downtime_max_ms, forecast.passes,
                      forecast.passes_min, forecast.passes_max, forecast.switch_over_bytes / MIB,
                      run->downtime_ms, run->passes, run->left_mib);

      g_assert_cmpint (forecast.verdict, ==, MW_CONVERGENCE_CONVERGING);
      g_assert_cmpuint (forecast.downtime_min_ms, <=, run->downtime_ms);
      g_assert_cmpuint (forecast.downtime_max_ms, >=, run->downtime_ms);
      g_assert_cmpuint (forecast.downtime_min_ms, <=, forecast.downtime_ms);
      g_assert_cmpuint (forecast.downtime_ms, <=, forecast.downtime_max_ms);
      if (run->passes != 0)
        {
          g_assert_cmpuint (forecast.passes_min, <=, run->passes);
          g_assert_cmpuint (forecast.passes_max, >=, run->passes);
        }
      g_assert_cmpuint (forecast.passes_min, <=, forecast.passes);
      g_assert_cmpuint (forecast.passes, <=, forecast.passes_max);
      g_assert_cmpuint (forecast.switch_over_bytes, >=, (guint64) run->left_mib * MIB);
    }
}

/* The cap holds the copy, not the last part: a faster link shortens the pause's upper end. */
static void
test_forecast_raw_link (void)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  MwForecast slow, fast;

  options->bandwidth_mib_s = 64;
  mw_forecast_predict_raw (256 * MIB, 48 * MIB, 0, 64 * MIB, 64 * MIB, options, &slow);
  mw_forecast_predict_raw (256 * MIB, 48 * MIB, 0, 64 * MIB, 640 * MIB, options, &fast);
  g_assert_cmpint (slow.verdict, ==, MW_CONVERGENCE_CONVERGING);
  g_assert_cmpuint (slow.passes, ==, fast.passes);
  g_assert_cmpuint (slow.switch_over_bytes, ==, fast.switch_over_bytes);
  /* 19.2 MiB: 300 ms at 64 MiB/s, 30 ms at 640 MiB/s. */
  g_assert_cmpuint (slow.switch_over_bytes / (MIB / 10), ==, 192);
  g_assert_cmpuint (slow.downtime_max_ms - fast.downtime_max_ms, >=, 260);
  /* mw_forecast_predict: the link is all it knows. */
  mw_forecast_predict (256 * MIB, 48 * MIB, 0, 64 * MIB, options, &fast);
  g_assert_cmpuint (fast.downtime_max_ms, ==, slow.downtime_max_ms);
}

static MwCheckFacts *
make_facts (void)
{
  static const char xml[] = "<domain type='kvm'><name>guest</name>"
                            "<memory unit='MiB'>256</memory></domain>";
  MwCheckFacts *facts = mw_check_facts_new ("qemu+ssh://root@hosta/system",
                                            "qemu+ssh://root@hostb/system", "guest", NULL);
  g_autoptr(GError) error = NULL;

  facts->domain = mw_domain_facts_new_from_xml (xml, &error);
  g_assert_no_error (error);
  facts->domain->active = TRUE;
  return facts;
}

/* The guest: 48 MiB/s in QEMU's short window, a 123 MiB working set in the long one,
 * capped at 64 MiB/s; it converged with 15 MiB left. The words give ranges, and never say that
 * what is left cannot get smaller than the working set. */
static void
test_forecast_words (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ();
  MwCheckResult result = { 0 };

  facts->options->bandwidth_mib_s = 64;
  mw_check_eval_forecast (facts, 48 * MIB, 123 * MIB, NULL, &result);
  g_test_message ("%s / %s", result.sentence, result.detail);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  g_assert_nonnull (strstr (result.sentence, "with a pause of 25–"));
  g_assert_nonnull (strstr (result.detail, "Memory passes as libvirt counts them: "));
  g_assert_nonnull (strstr (result.detail, "no pass leaves more than that"));
  g_assert_null (strstr (result.detail, "never gets smaller"));
  /* 64 MiB/s × 300 ms */
  g_assert_nonnull (strstr (result.detail, "no more than 19 MiB is left"));
  mw_check_result_clear (&result);

  /* Not converging: no passes or pause to promise. */
  facts->options->bandwidth_mib_s = 16;
  mw_check_eval_forecast (facts, 48 * MIB, 0, NULL, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_WARNING);
  g_assert_null (strstr (result.detail, "Passes"));
  g_assert_null (strstr (result.detail, "passes"));
  mw_check_result_clear (&result);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/forecast/recorded", test_forecast_recorded);
  g_test_add_func ("/mw/checks/forecast/raw-link", test_forecast_raw_link);
  g_test_add_func ("/mw/checks/forecast/words", test_forecast_words);

  return g_test_run ();
}
