/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checks-storage.c: the pre-flight checks on the guest's disks (shared storage as libvirt
 * sees it, the cache mode), pass and fail, on crafted facts (checks-test-facts.h). */

#include "config.h"

#include <string.h>

#include "checks-test-facts.h"
#include "mw-libvirt.h"

static void
test_storage (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };

  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* A local disk. */
  set_domain_xml (facts,
                  "<domain type='kvm'><name>guest</name><uuid>6d77c000-0000-4000-8000-000000000010"
                  "</uuid><memory>1048576</memory><os><type>hvm</type></os><devices>"
                  "<disk type='file' device='disk'><driver name='qemu' cache='none'/>"
                  "<source file='/var/lib/libvirt/images/local.qcow2'/><target dev='vda'/></disk>"
                  "<disk type='network' device='disk'><driver name='qemu'/>"
                  "<source protocol='rbd' name='pool/image'/><target dev='vdb'/></disk>"
                  "</devices></domain>");
  mw_check_eval_storage (facts, &result);
  g_assert_nonnull (strstr (result.detail, "vdb (rbd:pool/image): network disk"));
  g_assert_nonnull (strstr (result.fix, "pool-define-as"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "vda");

  /* Copying it, into a pool the destination has there. */
  facts->options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "nowhere");
  mw_host_facts_add_pool (facts->dest, "default", "dir", "/var/lib/libvirt/images", TRUE);
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "copied");

  /* A pool of the same name elsewhere is not shared storage. */
  facts->options->storage = MW_MIGRATION_STORAGE_SHARED;
  set_domain_xml (facts, "<domain type='kvm'><name>guest</name><uuid>6d77c000-0000-4000-8000-"
                         "000000000010</uuid><memory>1048576</memory><os><type>hvm</type></os>"
                         "<devices><disk type='volume' device='disk'><driver name='qemu' "
                         "cache='none'/><source pool='shared' volume='guest.qcow2'/>"
                         "<target dev='vda'/></disk></devices></domain>");
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
  g_free (g_array_index (facts->dest->pools, MwPoolFact, 0).target_path);
  g_array_index (facts->dest->pools, MwPoolFact, 0).target_path = g_strdup ("/srv/other");
  mw_check_eval_storage (facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, NULL);
}

static void
test_shared_filesystems_parse (void)
{
  g_auto(GStrv) dirs = NULL;
  gboolean has_option = FALSE;

  /* Debian's template: the option named, commented out, nothing set. */
  dirs = mw_check_parse_shared_filesystems ("#shared_filesystems = [\n#  \"/path/to/images\"\n#]\n",
                                            &has_option);
  g_assert_null (dirs);
  g_assert_true (has_option);

  dirs = mw_check_parse_shared_filesystems ("user = \"root\"\n", &has_option);
  g_assert_null (dirs);
  g_assert_false (has_option);

  /* Set over several lines, with a comment and a quoted # that is not one. */
  dirs = mw_check_parse_shared_filesystems ("stdio_handler = \"file\" # logs\n"
                                            "shared_filesystems = [\n  \"/srv/vm\",  # images\n"
                                            "  \"/srv/odd#dir\"\n]\n", &has_option);
  g_assert_true (has_option);
  g_assert_nonnull (dirs);
  g_assert_cmpuint (g_strv_length (dirs), ==, 2);
  g_assert_cmpstr (dirs[0], ==, "/srv/vm");
  g_assert_cmpstr (dirs[1], ==, "/srv/odd#dir");
}

static void
test_storage_as_libvirt_sees (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  MwSharedDirProbe probe = { "/mnt/shared", "ext2/ext3", FALSE, TRUE };

  /* A same-path pool on an ext4 directory nobody listed: libvirt will refuse. */
  mw_check_eval_storage (facts, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_nonnull (strstr (result.fix, "shared_filesystems = [ \"/mnt/shared\" ]"));
  g_assert_nonnull (strstr (result.detail, "“ext2/ext3”"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "will refuse");

  /* A libvirt without the option: Unsafe knowingly is the only way, and it says so. */
  probe.has_option = FALSE;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_null (strstr (result.fix, "shared_filesystems = ["));
  g_assert_nonnull (strstr (result.fix, "too old"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "will refuse");

  /* Listed: passes, and the detail says why. */
  probe.listed = TRUE;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_nonnull (strstr (result.detail, "listed in shared_filesystems"));
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* NFS (or any type not known to be local): left to libvirt, no false alarm. */
  probe.listed = FALSE;
  probe.fs_type = "nfs";
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* Unsafe chosen knowingly: libvirt will go ahead. */
  probe.fs_type = "xfs";
  facts->options->unsafe = TRUE;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "share");

  /* The disks copied (copy storage): libvirt does not judge them as shared, nothing blocks. */
  facts->options->unsafe = FALSE;
  facts->options->storage = MW_MIGRATION_STORAGE_COPY_ALL;
  mw_check_eval_storage (facts, &result);
  mw_check_eval_storage_as_libvirt_sees (facts, &probe, 1, &result);
  g_assert_cmpint (result.state, !=, MW_CHECK_STATE_BLOCKING);
  g_assert_null (strstr (result.sentence, "will refuse"));
  mw_check_result_clear (&result);
}

static void
test_disk_cache (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("");
  MwCheckResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = NULL;
  g_autofree char *live = NULL;
  guint n_changed = 0;

  mw_check_eval_disk_cache (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);

  live = g_strdup_printf (BASE_XML, "", "",
                          "<disk type='file' device='disk'><source file='" SHARED "/data.img'/>"
                          "<target dev='vdb'/></disk>"
                          "<disk type='file' device='disk'><driver name='qemu' "
                          "cache='writeback'/><source file='" SHARED "/log.img'/>"
                          "<target dev='vdc'/></disk>"
                          "<disk type='file' device='disk'><driver name='qemu' "
                          "cache='writeback'/><source file='" SHARED "/ro.img'/>"
                          "<target dev='vdd'/><readonly/></disk>");
  set_domain_xml (facts, live);
  mw_check_eval_disk_cache (facts, &result);
  g_assert_cmpstr (result.fix_label, !=, NULL);
  g_assert_nonnull (strstr (result.fix, "next boot"));
  g_assert_nonnull (strstr (result.detail, "vdb"));
  g_assert_nonnull (strstr (result.detail, "vdc"));
  g_assert_null (strstr (result.detail, "vdd"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "unsafe migration");

  facts->options->unsafe = TRUE;
  mw_check_eval_disk_cache (facts, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, NULL);
  facts->options->unsafe = FALSE;

  /* The fix, through libvirt-gconfig: a driver is added where there was none. */
  fixed = mw_check_set_disk_cache_none (facts, live, &n_changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 2);
  {
    g_autoptr(MwDomainFacts) parsed = mw_domain_facts_new_from_xml (fixed, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < parsed->disks->len; i++)
      {
        const MwDiskFact *disk = &g_array_index (parsed->disks, MwDiskFact, i);

        g_assert_cmpstr (disk->cache, ==, g_str_equal (disk->target, "vdd") ? "writeback"
                                                                            : "none");
      }
  }

  /* Saved but the guest still runs with the old mode: still blocking, and the fix offered now
   * is restarting the guest, which says it goes down. */
  g_free (facts->domain->inactive_xml);
  facts->domain->inactive_xml = g_strdup (fixed);
  mw_check_eval_disk_cache (facts, &result);
  g_assert_cmpstr (result.fix_label, ==, "Restart Guest");
  g_assert_nonnull (strstr (result.fix, "goes down"));
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "next boot");

  /* After the next boot. */
  set_domain_xml (facts, fixed);
  mw_check_eval_disk_cache (facts, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/storage", test_storage);
  g_test_add_func ("/mw/checks/shared-filesystems-parse", test_shared_filesystems_parse);
  g_test_add_func ("/mw/checks/storage-as-libvirt-sees", test_storage_as_libvirt_sees);
  g_test_add_func ("/mw/checks/disk-cache", test_disk_cache);

  return g_test_run ();
}
