/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-live-page-abort.c: Abort in the migration wizard, on the shipped demo nodes with the job
 * on the job tests' scripted backend (mw-fake-backend.h), so the abort stays under way for as
 * long as the test likes. While it is, the live page itself says "Stopping the migration…" with
 * a spinner, and no toast is shown or queued, none to hang over the result page afterwards. An
 * abort libvirt refuses leaves the migration running: the live page goes back to its verdict,
 * the refusal is a toast, and Abort can be tried again. */
#include "config.h"

#include <libvirt/virterror.h>

#include "mw-fake-backend.h"
#include "mw-libvirt.h"
#include "mw-migration-job-private.h"
#include "mw-migration-plan-private.h"
#include "mw-migration-wizard-private.h"
#include "mw-test-wizard.h"

static MwFakeBackend *fake;   /* the job's backend, set by the factory */

static MwMigrationJob *
fake_job_factory (const char               *source_uri,
                  const char               *destination_uri,
                  const char               *domain_name,
                  const MwMigrationOptions *options,
                  gpointer                  user_data)
{
  MwJobSample sample = { 0 };
  MwMigrationJob *job;

  g_clear_object (&fake);
  fake = mw_fake_backend_new ();
  sample.state = MW_JOB_STATE_RUNNING;
  sample.have = MW_JOB_HAVE_ITERATION;
  sample.iteration = 1;
  sample.memory_total = 1024 * 1024 * 1024;
  sample.memory_remaining = 512 * 1024 * 1024;
  sample.memory_processed = 512 * 1024 * 1024;
  sample.data_processed = 512 * 1024 * 1024;
  sample.memory_bps = 64 * 1024 * 1024;
  sample.page_size = 4096;
  mw_fake_backend_set_sample (fake, &sample);
  job = mw_migration_job_new_with_backend (MW_JOB_BACKEND (fake), source_uri, destination_uri,
                                           domain_name, options);
  mw_migration_job_set_sample_interval (job, 100);
  return job;
}

static gboolean
is_toast_widget (GtkWidget *widget,
                 gpointer   data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
}

/* How many toasts the wizard shows (libadwaita 1.2 shows a toast added to an overlay showing
 * none at once, and queues it otherwise). */
static guint
n_toasts (MwMigrationWizard *wizard)
{
  GtkWidget *overlay = mw_test_find_widget (GTK_WIDGET (wizard), ADW_TYPE_TOAST_OVERLAY, NULL,
                                            NULL);
  guint n = 0;

  g_assert_nonnull (overlay);
  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (is_toast_widget (child, NULL))
      n++;
  return n;
}

static gboolean
toast_shown (gpointer data)
{
  return n_toasts (data) > 0;
}

static gboolean
on_result_page (gpointer data)
{
  return g_strcmp0 (mw_migration_wizard_get_page (data), "result") == 0;
}

static gboolean
job_running (gpointer data)
{
  MwMigrationJob *job = mw_migration_wizard_get_job (data);

  return job != NULL && mw_migration_job_get_state (job) == MW_MIGRATION_JOB_STATE_RUNNING;
}

/* From the options page: the checks, Migrate, and the migration call under way on the fake;
 * returns the pending MIGRATE call. */
static MwFakeCall *
migrate_from_options (MwMigrationWizard *wizard)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (mw_test_wait_until (migrate_usable, wizard, 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.migrate", NULL));
  g_assert_nonnull (fake);
  mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_PREPARE), NULL);
  g_assert_true (mw_test_wait_until (job_running, wizard, 5000));
  return mw_fake_backend_wait (fake, MW_FAKE_MIGRATE);
}

/* The wizard on hosta's web01 → hostb, its migration call under way on the fake. */
static MwFakeCall *
start_migration (Fixture *fixture)
{
  MwMigrationWizard *wizard = open_wizard (fixture, 1000, 700);

  /* The wizard's jobs (this one and a Retry's) over the scripted backend. */
  mw_migration_plan_set_job_factory (wizard->plan, fake_job_factory, NULL);
  choose_destination (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  return migrate_from_options (wizard);
}

/* The migration call returns success and the guest is found on the destination. */
static void
succeed (MwMigrationWizard *wizard,
         MwFakeCall        *migrate)
{
  mw_fake_backend_reply (fake, migrate, NULL);
  mw_fake_backend_reply_findings (fake, mw_fake_backend_wait (fake, MW_FAKE_VERIFY),
                                  &(MwVerifyFindings) { .dest_exists = TRUE,
                                                        .dest_active = TRUE });
  g_assert_true (mw_test_wait_until (on_result_page, wizard, 5000));
}

static GtkWidget *
verdict_spinner (MwMigrationLivePage *page)
{
  GtkWidget *spinner = mw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_SPINNER, NULL, NULL);

  g_assert_nonnull (spinner);
  return spinner;
}

static void
assert_stopping (MwMigrationLivePage *page,
                 gboolean             stopping)
{
  GtkWidget *spinner = verdict_spinner (page);

  g_assert_cmpint (mw_migration_live_page_get_stopping (page), ==, stopping);
  if (stopping)
    g_assert_cmpstr (mw_migration_live_page_get_verdict_title (page), ==,
                     "Stopping the migration…");
  else
    g_assert_cmpstr (mw_migration_live_page_get_verdict_title (page), !=,
                     "Stopping the migration…");
  g_assert_cmpint (gtk_widget_get_visible (spinner), ==, stopping);
  g_assert_cmpint (gtk_spinner_get_spinning (GTK_SPINNER (spinner)), ==, stopping);
}

static void
test_abort_stopping (Fixture       *fixture,
                     gconstpointer  data)
{
  MwFakeCall *migrate = start_migration (fixture);
  MwMigrationWizard *wizard = fixture->wizard;
  MwMigrationLivePage *page = mw_migration_wizard_get_live_page (wizard);
  MwFakeCall *act;
  MwFakeCall *verify;

  assert_stopping (page, FALSE);
  g_assert_cmpuint (n_toasts (wizard), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "migration.abort", NULL));
  /* libvirt has not answered yet: the page says it, and no toast does. */
  act = mw_fake_backend_wait (fake, MW_FAKE_ACT);
  g_assert_cmpint (act->action, ==, MW_JOB_ACTION_ABORT);
  assert_stopping (page, TRUE);
  g_assert_cmpuint (mw_migration_live_page_get_shown_remedies (page), ==, MW_REMEDY_NONE);
  g_assert_cmpuint (n_toasts (wizard), ==, 0);
  shot (wizard, "live-page-stopping");
  /* Still so after the frames the screenshot waited for (samples keep coming), and Abort is
   * not offered again meanwhile. */
  assert_stopping (page, TRUE);
  g_assert_cmpuint (n_toasts (wizard), ==, 0);
  g_assert_false (button_usable (wizard, "migration.abort"));

  /* The abort takes: the call returns aborted, the guest is found on the source. */
  mw_fake_backend_reply (fake, act, NULL);
  mw_fake_backend_reply (fake, migrate,
                         g_error_new_literal (MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_ABORTED,
                                              "migration job: canceled"));
  verify = mw_fake_backend_wait (fake, MW_FAKE_VERIFY);
  mw_fake_backend_reply_findings (fake, verify, &(MwVerifyFindings) {
                                    .src_exists = TRUE, .src_active = TRUE });
  g_assert_true (mw_test_wait_until (on_result_page, wizard, 5000));
  g_assert_cmpint (mw_migration_job_get_state (mw_migration_wizard_get_job (wizard)), ==,
                   MW_MIGRATION_JOB_STATE_CANCELLED);
  /* Over: the page shows the end, and nothing hangs over the result page. */
  g_assert_cmpstr (mw_migration_live_page_get_verdict_title (page), ==, "Aborted");
  g_assert_cmpuint (n_toasts (wizard), ==, 0);
  shot (wizard, "result-after-abort");
  g_assert_cmpuint (n_toasts (wizard), ==, 0);

  /* Retry: the new migration's live page is not stopping. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.retry", NULL));
  migrate = migrate_from_options (wizard);
  assert_stopping (page, FALSE);
  g_assert_true (button_usable (wizard, "migration.abort"));
  succeed (wizard, migrate);
}

static void
test_abort_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  MwFakeCall *migrate = start_migration (fixture);
  MwMigrationWizard *wizard = fixture->wizard;
  MwMigrationLivePage *page = mw_migration_wizard_get_live_page (wizard);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "migration.abort", NULL));
  assert_stopping (page, TRUE);
  g_assert_false (button_usable (wizard, "migration.abort"));
  mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_ACT),
                         g_error_new_literal (MW_LIBVIRT_ERROR, VIR_ERR_OPERATION_DENIED,
                                              "abort denied"));
  /* Refused for good: the migration goes on and says so, the refusal is a toast, and Abort
   * can be tried again. */
  g_assert_true (mw_test_wait_until (toast_shown, wizard, 5000));
  assert_stopping (page, FALSE);
  g_assert_cmpint (mw_migration_job_get_state (mw_migration_wizard_get_job (wizard)), ==,
                   MW_MIGRATION_JOB_STATE_RUNNING);
  g_assert_true (button_usable (wizard, "migration.abort"));
  shot (wizard, "live-page-abort-refused");
  succeed (wizard, migrate);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  mw_test_wizard_init (&argc, &argv);

  g_test_add ("/mw/live-page/abort/stopping", Fixture, NULL, fixture_set_up,
              test_abort_stopping, fixture_tear_down);
  g_test_add ("/mw/live-page/abort/refused", Fixture, NULL, fixture_set_up,
              test_abort_refused, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&fake);
  return status;
}
