/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-connection-listing.c: a connection lists its host's domains with one call for all of
 * them, and finds what reading each one would give.
 *
 * Over qemu+ssh every libvirt call is a round trip; 1000 domains read one by one were 2000 of
 * them. libvirt logs each public call it enters (debug level, "libvirt.domain"), so the test
 * sends that log to a file and counts the calls the listing made: one
 * virConnectGetAllDomainStats, and no per-domain call when the driver's records hold every
 * field. libvirt's test driver gives only the state in its records (so each domain is then
 * read alone); the QEMU driver gives all: MW_TEST_LISTING_URI=qemu+ssh://root@hostb/system
 * runs the same checks against the lab (bench/run-bench-remote does, with 1000 domains), with
 * no domain made or changed there. Every field is compared with virDomainGetInfo and
 * virDomainIsPersistent; on test:///default with domains running, paused, shut off and
 * transient. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "mw-connection-private.h"
#include "mw-libvirt.h"

static char *log_path;

static const char *
domain_xml (const char *name)
{
  static char xml[512];

  g_snprintf (xml, sizeof xml,
              "<domain type='test'><name>%s</name><memory unit='MiB'>%u</memory>"
              "<currentMemory unit='MiB'>%u</currentMemory><vcpu>%u</vcpu>"
              "<os><type>hvm</type></os></domain>",
              name, 512, 384, 3);
  return xml;
}

/* The number of times libvirt logged entering function since offset. */
static guint
count_calls (goffset     offset,
             const char *function)
{
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf (" : %s:", function);
  gsize length = 0;
  guint n = 0;

  g_assert_true (g_file_get_contents (log_path, &text, &length, NULL));
  g_assert_cmpint (offset, <=, (goffset) length);
  for (const char *p = text + offset; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

static goffset
log_size (void)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (log_path, &st), ==, 0);
  return st.st_size;
}

/* Whether the driver's stats records hold every field the listing reads. */
static gboolean
records_complete (virConnectPtr conn)
{
  virDomainStatsRecordPtr *records = NULL;
  int n = virConnectGetAllDomainStats (conn, VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU
                                       | VIR_DOMAIN_STATS_BALLOON, &records,
                                       VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
  gboolean complete = n >= 0;
  unsigned long long value;

  for (int i = 0; i < n; i++)
    complete = complete
               && virTypedParamsGetULLong (records[i]->params, records[i]->nparams,
                                           "balloon.maximum", &value) == 1;
  if (n >= 0)
    virDomainStatsRecordListFree (records);
  return complete;
}

static void
test_listing (void)
{
  const char *uri = g_getenv ("MW_TEST_LISTING_URI");
  gboolean local = uri == NULL;
  virConnectPtr conn = virConnectOpen (local ? "test:///default" : uri);
  virDomainPtr paused = NULL, shut_off = NULL, transient = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  goffset before;
  gint64 t0;

  g_assert_nonnull (conn);
  if (!local)
    goto list;
  shut_off = virDomainDefineXML (conn, domain_xml ("shut-off"));
  g_assert_nonnull (shut_off);
  paused = virDomainDefineXML (conn, domain_xml ("paused"));
  g_assert_nonnull (paused);
  g_assert_cmpint (virDomainCreate (paused), ==, 0);
  g_assert_cmpint (virDomainSuspend (paused), ==, 0);
  transient = virDomainCreateXML (conn, domain_xml ("transient"), 0);
  g_assert_nonnull (transient);
  /* The log holds the calls made so far: a count of 0 below means something. */
  g_assert_cmpuint (count_calls (0, "virDomainSuspend"), ==, 1);

list:
  before = log_size ();
  t0 = g_get_monotonic_time ();
  infos = mw_connection_list_domains (conn, &error);
  g_test_message ("%u domains listed in %.0f ms", infos != NULL ? infos->len : 0,
                  (g_get_monotonic_time () - t0) / 1e3);
  g_assert_no_error (error);
  g_assert_nonnull (infos);
  g_assert_cmpuint (count_calls (before, "virConnectGetAllDomainStats"), ==, 1);
  g_assert_cmpuint (count_calls (before, "virDomainGetXMLDesc"), ==, 0);
  if (records_complete (conn))
    {
      g_assert_cmpuint (count_calls (before, "virDomainGetInfo"), ==, 0);
      g_assert_cmpuint (count_calls (before, "virDomainIsPersistent"), ==, 0);
    }
  else
    g_test_message ("the driver's records lack fields: each domain was read alone");

  /* Each as reading it alone says; on test:///default: test (running), shut-off, paused,
   * transient. */
  if (local)
    g_assert_cmpuint (infos->len, ==, 4);
  for (guint i = 0; i < infos->len; i++)
    {
      MwDomainInfo *info = &g_array_index (infos, MwDomainInfo, i);
      virDomainPtr domain = virDomainLookupByUUIDString (conn, info->uuid);
      virDomainInfo expected;

      g_assert_nonnull (domain);
      g_assert_cmpint (virDomainGetInfo (domain, &expected), ==, 0);
      g_assert_cmpstr (info->name, ==, virDomainGetName (domain));
      g_assert_cmpint (info->state, ==, expected.state);
      g_assert_cmpuint (info->vcpus, ==, expected.nrVirtCpu);
      g_assert_cmpuint (info->memory_kib, ==, expected.memory);
      g_assert_cmpuint (info->max_memory_kib, ==, expected.maxMem);
      g_assert_cmpint (info->persistent, ==, virDomainIsPersistent (domain) == 1);
      if (g_str_equal (info->name, "paused"))
        g_assert_cmpint (info->state, ==, MW_DOMAIN_STATE_PAUSED);
      else if (g_str_equal (info->name, "shut-off"))
        g_assert_cmpint (info->state, ==, MW_DOMAIN_STATE_SHUTOFF);
      if (g_str_equal (info->name, "paused") || g_str_equal (info->name, "shut-off"))
        {
          g_assert_cmpuint (info->memory_kib, ==, 384 * 1024);
          g_assert_cmpuint (info->vcpus, ==, 3);
        }
      g_assert_cmpint (info->persistent, ==, !g_str_equal (info->name, "transient"));
      virDomainFree (domain);
    }

  g_clear_pointer (&transient, virDomainFree);
  g_clear_pointer (&paused, virDomainFree);
  g_clear_pointer (&shut_off, virDomainFree);
  virConnectClose (conn);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("mw-listing-XXXXXX", NULL);
  g_autofree char *outputs = NULL;
  int status;

  /* Read by libvirt once, when it initialises: before the first call. */
  log_path = g_build_filename (dir, "libvirt.log", NULL);
  outputs = g_strdup_printf ("1:file:%s", log_path);
  g_setenv ("LIBVIRT_LOG_FILTERS", "1:libvirt.domain 1:libvirt.libvirt-domain", TRUE);
  g_setenv ("LIBVIRT_LOG_OUTPUTS", outputs, TRUE);

  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/connection-listing/round-trips", test_listing);
  status = g_test_run ();

  g_unlink (log_path);
  g_rmdir (dir);
  g_free (log_path);
  return status;
}
