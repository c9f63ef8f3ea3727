/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-test-evacuation.c: what the evacuation window's UI test runs on: two libvirt test-driver
 * nodes written for it, and a driver answering each guest's scripted job as libvirt would. */
#include "config.h"

#include <time.h>

#include <libvirt/virterror.h>

#include "mw-libvirt.h"
#include "mw-migration-job-private.h"
#include "mw-test-evacuation.h"

/* ---- the test-driver nodes ------------------------------------------------------------------ */

static void
append_node_start (GString *xml,
                   guint64  memory_kib)
{
  g_string_append_printf (xml, "<?xml version='1.0'?><node><cpu><mhz>2900</mhz>"
                          "<model>x86_64</model><active>32</active><nodes>1</nodes>"
                          "<sockets>1</sockets><cores>16</cores><threads>2</threads></cpu>"
                          "<memory>%" G_GUINT64_FORMAT "</memory>", memory_kib);
}

static void
append_node_end (GString    *xml,
                 const char *ip)
{
  g_string_append_printf (xml, "<network><name>br0</name>"
                          "<uuid>b321f733-3629-5d24-b045-1e93479171c4</uuid>"
                          "<forward mode='bridge'/><bridge name='br0'/></network>"
                          "<interface type='bridge' name='br0'><start mode='onboot'/>"
                          "<protocol family='ipv4'><ip address='%s' prefix='24'/></protocol>"
                          "<bridge stp='off' delay='0'><interface type='ethernet' name='eno1'>"
                          "<mac address='3c:ec:ef:10:00:11'/></interface></bridge></interface>"
                          "<pool type='netfs'><name>shared</name>"
                          "<uuid>9e5a052c-456b-53bf-850e-ac2985ac0a98</uuid>"
                          "<capacity unit='GiB'>4096</capacity>"
                          "<allocation unit='GiB'>590</allocation>"
                          "<available unit='GiB'>3000</available>"
                          "<source><host name='nas.demo.example'/><dir path='/export/vm-images'/>"
                          "<format type='nfs'/></source>"
                          "<target><path>/var/lib/libvirt/images/shared</path></target>"
                          "</pool></node>", ip);
}

static char *
write_node (const char *dir,
            const char *file,
            GString    *xml)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_true (g_file_set_contents (path, xml->str, xml->len, NULL));
  return g_strdup_printf ("test://%s", path);
}

void
mw_test_evacuation_write_nodes (const char  *dir,
                                guint        n_guests,
                                char       **src_uri,
                                char       **dst_uri)
{
  g_autoptr(GString) src = g_string_new (NULL);
  g_autoptr(GString) dst = g_string_new (NULL);

  append_node_start (src, 1024 * 1024 * 1024);
  for (guint i = 0; i < n_guests; i++)
    {
      gboolean local = i % LOCAL_EVERY == 7;
      gboolean shut_off = i % 10 == 3;
      guint64 kib = (512 + (i % 8) * 256) * 1024;

      g_string_append_printf (src, "<domain type='test' "
                              "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
                              "<name>guest%03u</name>"
                              "<uuid>5e1d0000-0000-4000-8000-%012u</uuid>"
                              "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>"
                              "<currentMemory unit='KiB'>%" G_GUINT64_FORMAT "</currentMemory>"
                              "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices>"
                              "<disk type='file' device='disk'>"
                              "<driver name='qemu' type='qcow2' cache='none'/>"
                              "<source file='/var/lib/libvirt/images/%s/guest%03u.qcow2'/>"
                              "<target dev='vda' bus='virtio'/></disk>"
                              "<interface type='bridge'><mac address='52:54:00:b0:%02x:%02x'/>"
                              "<source bridge='br0'/><model type='virtio'/></interface>"
                              "</devices><test:runstate>%d</test:runstate></domain>",
                              i, i, kib, kib, local ? "local" : "shared", i, i / 256, i % 256,
                              shut_off ? 5 : 1);
    }
  append_node_end (src, "192.168.10.11");
  append_node_start (dst, 2048ULL * 1024 * 1024);
  append_node_end (dst, "192.168.10.12");
  *src_uri = write_node (dir, "src.xml", src);
  *dst_uri = write_node (dir, "dst.xml", dst);
}

/* ---- the scripted run --------------------------------------------------------------------- */

MwTestJobDriver *
mw_test_job_driver_new (void)
{
  MwTestJobDriver *driver = g_new0 (MwTestJobDriver, 1);

  driver->fakes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  driver->ticks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return driver;
}

void
mw_test_job_driver_free (MwTestJobDriver *driver)
{
  g_hash_table_unref (driver->fakes);
  g_hash_table_unref (driver->ticks);
  g_free (driver);
}

MwMigrationJob *
mw_test_job_driver_factory (const char               *source_uri,
              const char               *destination_uri,
              const char               *domain_name,
              const MwMigrationOptions *options,
              gpointer                  user_data)
{
  MwTestJobDriver *driver = user_data;
  MwFakeBackend *fake = mw_fake_backend_new ();

  g_object_set_data (G_OBJECT (fake), "mw-samples",
                     GUINT_TO_POINTER (g_hash_table_size (driver->fakes) < N_SLOW
                                       ? SAMPLES_SLOW : SAMPLES_FAST));
  g_hash_table_insert (driver->fakes, g_strdup (domain_name), fake);
  return mw_migration_job_new_with_backend (MW_JOB_BACKEND (fake), source_uri, destination_uri,
                                            domain_name, options);
}

/* One step of every job, as libvirt would answer: prepare at once; the migration call for its
 * number of ticks with less memory left each time, then success (or the failure of
 * FAILING_GUEST); verification as the hosts would find it; an abort as libvirt answers it. */
static gboolean tick_body (gpointer user_data);

gboolean
mw_test_job_driver_tick (gpointer user_data)
{
  struct timespec a, b;
  gint64 t0 = g_get_monotonic_time ();
  gboolean r;
  gint64 dt, cpu;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &a);
  r = tick_body (user_data);
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &b);
  dt = g_get_monotonic_time () - t0;
  cpu = (b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000;
  if (cpu > 10000 && g_getenv ("MW_TEST_STALLS") != NULL)
    g_test_message ("driver tick %.1f ms wall, %.1f ms CPU, %u fakes", dt / 1e3, cpu / 1e3,
                    g_hash_table_size (((MwTestJobDriver *) user_data)->fakes));
  return r;
}

static gboolean
tick_body (gpointer user_data)
{
  MwTestJobDriver *driver = user_data;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, driver->fakes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;
      MwFakeBackend *fake = value;
      guint ticks = GPOINTER_TO_UINT (g_hash_table_lookup (driver->ticks, name));
      gboolean fails = g_str_equal (name, FAILING_GUEST);
      MwJobSample sample = { 0 };
      guint samples;

      if (mw_fake_backend_has_pending (fake, MW_FAKE_PREPARE))
        mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_PREPARE), NULL);
      if (mw_fake_backend_has_pending (fake, MW_FAKE_ACT))
        {
          MwFakeCall *act = mw_fake_backend_wait (fake, MW_FAKE_ACT);
          gboolean abort = act->action == MW_JOB_ACTION_ABORT;

          mw_fake_backend_reply (fake, act, NULL);
          if (abort && mw_fake_backend_has_pending (fake, MW_FAKE_MIGRATE))
            {
              mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_MIGRATE),
                                     g_error_new_literal (MW_LIBVIRT_ERROR,
                                                          VIR_ERR_OPERATION_ABORTED,
                                                          "migration job: canceled"));
              g_hash_table_insert (driver->ticks, g_strdup (name), GUINT_TO_POINTER (G_MAXUINT));
              continue;
            }
        }
      if (mw_fake_backend_has_pending (fake, MW_FAKE_MIGRATE) && ticks != G_MAXUINT)
        {
          sample.state = MW_JOB_STATE_RUNNING;
          sample.have = MW_JOB_HAVE_ITERATION | MW_JOB_HAVE_MEMORY_REMAINING;
          sample.iteration = 1;
          sample.memory_total = 1024 * 1024 * 1024;
          samples = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fake), "mw-samples"));
          sample.memory_remaining =
            sample.memory_total / samples * (samples - MIN (ticks, samples));
          mw_fake_backend_set_sample (fake, &sample);
          g_hash_table_insert (driver->ticks, g_strdup (name), GUINT_TO_POINTER (ticks + 1));
          if (ticks + 1 >= samples && !driver->hold)
            mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_MIGRATE),
                                   fails ? g_error_new_literal (MW_LIBVIRT_ERROR,
                                                                VIR_ERR_OPERATION_FAILED,
                                                                "migration failed: disk gone")
                                         : NULL);
        }
      if (mw_fake_backend_has_pending (fake, MW_FAKE_VERIFY))
        {
          MwFakeCall *verify = mw_fake_backend_wait (fake, MW_FAKE_VERIFY);
          gboolean moved = verify->call_succeeded;
          MwVerifyFindings found = { 0 };

          found.dest_exists = found.dest_active = found.dest_persistent = moved;
          found.src_exists = found.src_active = !moved;
          mw_fake_backend_reply_findings (fake, verify, &found);
        }
      if (mw_fake_backend_has_pending (fake, MW_FAKE_REMOVE_VOLUMES))
        mw_fake_backend_reply (fake, mw_fake_backend_wait (fake, MW_FAKE_REMOVE_VOLUMES), NULL);
    }
  return G_SOURCE_CONTINUE;
}
