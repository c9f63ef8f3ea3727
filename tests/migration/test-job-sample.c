/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-job-sample.c: virDomainGetJobStats parameters to MwJobSample. */

#include "config.h"

#include <libvirt/virterror.h>

#include "mw-job-sample.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

static void
test_dirty_rate_bytes (void)
{
  g_assert_cmpuint (mw_job_dirty_rate_bytes (1000, 4096), ==, 4096000);
  g_assert_cmpuint (mw_job_dirty_rate_bytes (1000, 0), ==, 4096000);
  g_assert_cmpuint (mw_job_dirty_rate_bytes (10, 2 * MIB), ==, 20 * MIB);
  g_assert_cmpuint (mw_job_dirty_rate_bytes (0, 4096), ==, 0);
  g_assert_cmpuint (mw_job_dirty_rate_bytes (G_MAXUINT64, 4096), ==, G_MAXUINT64);
}

static void
test_running (void)
{
  virTypedParameterPtr params = NULL;
  int n = 0;
  int max = 0;
  MwJobSample sample;

  g_assert_cmpint (virTypedParamsAddULLong (&params, &n, &max,
                                            VIR_DOMAIN_JOB_TIME_ELAPSED, 4200), ==, 0);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_SETUP_TIME, 12);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DATA_TOTAL, 300 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DATA_PROCESSED, 200 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DATA_REMAINING, 100 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_TOTAL, 256 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_PROCESSED, 180 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_REMAINING, 76 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_BPS, 64 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 16384);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_ITERATION, 5);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DOWNTIME, 1200);
  virTypedParamsAddInt (&params, &n, &max, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE, 30);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DISK_TOTAL, 64 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DISK_PROCESSED, 20 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DISK_REMAINING, 44 * MIB);

  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_UNBOUNDED, params, n, 123456);

  g_assert_cmpint (sample.time_us, ==, 123456);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_RUNNING);
  g_assert_cmpuint (sample.elapsed_ms, ==, 4200);
  g_assert_cmpuint (sample.setup_time_ms, ==, 12);
  g_assert_cmpuint (sample.data_total, ==, 300 * MIB);
  g_assert_cmpuint (sample.data_processed, ==, 200 * MIB);
  g_assert_cmpuint (sample.data_remaining, ==, 100 * MIB);
  g_assert_cmpuint (sample.memory_total, ==, 256 * MIB);
  g_assert_cmpuint (sample.memory_processed, ==, 180 * MIB);
  g_assert_cmpuint (sample.memory_remaining, ==, 76 * MIB);
  g_assert_cmpuint (sample.memory_bps, ==, 64 * MIB);
  g_assert_cmpuint (sample.dirty_rate_bps, ==, 64 * MIB);
  g_assert_cmpuint (sample.page_size, ==, 4096);
  g_assert_cmpuint (sample.iteration, ==, 5);
  /* While running, "downtime" is QEMU's expectation. */
  g_assert_cmpuint (sample.expected_downtime_ms, ==, 1200);
  g_assert_cmpuint (sample.downtime_ms, ==, 0);
  g_assert_cmpuint (sample.auto_converge_throttle, ==, 30);
  g_assert_cmpuint (sample.disk_total, ==, 64 * MIB);
  g_assert_cmpuint (sample.disk_processed, ==, 20 * MIB);
  g_assert_cmpuint (sample.disk_remaining, ==, 44 * MIB);
  g_assert_cmpuint (sample.postcopy_requests, ==, 0);
  g_assert_cmphex (sample.have, ==,
                   MW_JOB_HAVE_MEMORY_REMAINING | MW_JOB_HAVE_DIRTY_RATE | MW_JOB_HAVE_THROUGHPUT
                   | MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_EXPECTED_DOWNTIME | MW_JOB_HAVE_THROTTLE
                   | MW_JOB_HAVE_DISK);

  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_BOUNDED, params, n, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_RUNNING);

  virTypedParamsFree (params, n);
}

static void
test_completed (void)
{
  virTypedParameterPtr params = NULL;
  int n = 0;
  int max = 0;
  MwJobSample sample;

  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_TIME_ELAPSED, 666);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_DOWNTIME, 148);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_REMAINING, 0);

  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_COMPLETED, params, n, 1);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_COMPLETED);
  g_assert_cmpuint (sample.downtime_ms, ==, 148);
  g_assert_cmpuint (sample.expected_downtime_ms, ==, 0);
  g_assert_true (sample.have & MW_JOB_HAVE_DOWNTIME);
  g_assert_false (sample.have & MW_JOB_HAVE_EXPECTED_DOWNTIME);
  g_assert_true (sample.have & MW_JOB_HAVE_MEMORY_REMAINING);
  g_assert_false (sample.have & MW_JOB_HAVE_THROUGHPUT);

  virTypedParamsFree (params, n);
}

static void
test_states (void)
{
  MwJobSample sample;

  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_NONE, NULL, 0, 7);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_NONE);
  g_assert_cmpint (sample.time_us, ==, 7);
  g_assert_cmpuint (sample.have, ==, 0);
  g_assert_cmpuint (sample.page_size, ==, 4096);

  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_FAILED, NULL, 0, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_FAILED);
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_CANCELLED, NULL, 0, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_CANCELLED);
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_COMPLETED, NULL, 0, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_COMPLETED);
  mw_job_sample_from_params (&sample, 42, NULL, 0, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_NONE);
}

static void
test_postcopy (void)
{
  virTypedParameterPtr params = NULL;
  int n = 0;
  int max = 0;
  MwJobSample sample;

  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS, 12);
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_UNBOUNDED, params, n, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_POSTCOPY);
  g_assert_cmpuint (sample.postcopy_requests, ==, 12);

  /* Requests in completed statistics do not make the job running again. */
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_COMPLETED, params, n, 0);
  g_assert_cmpint (sample.state, ==, MW_JOB_STATE_COMPLETED);

  virTypedParamsFree (params, n);
}

static void
test_page_size_and_types (void)
{
  virTypedParameterPtr params = NULL;
  int n = 0;
  int max = 0;
  MwJobSample sample;

  /* Huge pages; and a field of the wrong type is ignored, not misread. */
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 2 * MIB);
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 3);
  virTypedParamsAddInt (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_REMAINING, 5);
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_UNBOUNDED, params, n, 0);
  g_assert_cmpuint (sample.page_size, ==, 2 * MIB);
  g_assert_cmpuint (sample.dirty_rate_bps, ==, 6 * MIB);
  g_assert_cmpuint (sample.memory_remaining, ==, 0);
  g_assert_false (sample.have & MW_JOB_HAVE_MEMORY_REMAINING);
  g_assert_null (virGetLastError ());
  virTypedParamsFree (params, n);

  /* No page size: 4 KiB. */
  params = NULL;
  n = max = 0;
  virTypedParamsAddULLong (&params, &n, &max, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, 256);
  mw_job_sample_from_params (&sample, VIR_DOMAIN_JOB_UNBOUNDED, params, n, 0);
  g_assert_cmpuint (sample.page_size, ==, 4096);
  g_assert_cmpuint (sample.dirty_rate_bps, ==, 1 * MIB);
  g_assert_true (sample.have & MW_JOB_HAVE_DIRTY_RATE);
  virTypedParamsFree (params, n);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (virInitialize (), ==, 0);

  g_test_add_func ("/mw/job-sample/dirty-rate-bytes", test_dirty_rate_bytes);
  g_test_add_func ("/mw/job-sample/running", test_running);
  g_test_add_func ("/mw/job-sample/completed", test_completed);
  g_test_add_func ("/mw/job-sample/states", test_states);
  g_test_add_func ("/mw/job-sample/postcopy", test_postcopy);
  g_test_add_func ("/mw/job-sample/page-size-and-types", test_page_size_and_types);

  return g_test_run ();
}
