/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checks-facts.c: the facts the pre-flight checks read (domain XML, capabilities, memory
 * units), on crafted XML (checks-test-facts.h). */

#include "config.h"

#include <string.h>

#include "checks-test-facts.h"
#include "mw-libvirt.h"

static void
test_facts_parse (void)
{
  g_autoptr(MwCheckFacts) facts =
    make_facts ("<interface type='network'><source network='default'/></interface>"
                "<hostdev mode='subsystem' type='usb'><source><vendor id='0x046d'/>"
                "<product id='0xc52b'/></source></hostdev><tpm model='tpm-crb'>"
                "<backend type='emulator'/></tpm>");
  const MwDiskFact *disk = &g_array_index (facts->domain->disks, MwDiskFact, 0);
  const MwNicFact *nic = &g_array_index (facts->domain->nics, MwNicFact, 1);

  g_assert_cmpstr (facts->domain->name, ==, "guest");
  g_assert_cmpuint (facts->domain->memory_kib, ==, 1024 * 1024);
  g_assert_cmpstr (disk->cache, ==, "none");
  g_assert_cmpstr (disk->source, ==, SHARED "/guest.qcow2");
  g_assert_cmpint (nic->kind, ==, MW_INTERFACE_NETWORK);
  g_assert_cmpstr (nic->source, ==, "default");
  g_assert_cmpuint (facts->domain->hostdevs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (facts->domain->hostdevs, 0), ==, "USB 0x046d:0xc52b");
  g_assert_cmpstr (facts->domain->tpm_backend, ==, "emulator");
  g_assert_true (mw_check_disk_is_shared (facts, disk));
}

/* Memory in each of libvirt's units, matched without regard to case as libvirt does; a unit it
 * does not have is unknown (0), not a warning. */
static void
test_facts_memory_units (void)
{
  static const struct { const char *unit; const char *value; guint64 kib; } cases[] = {
    { NULL, "262144", 262144 }, { "KiB", "262144", 262144 }, { "k", "1024", 1024 },
    { "MiB", "512", 524288 }, { "M", "1", 1024 }, { "mb", "1", 976 }, { "GB", "1", 976562 },
    { "GiB", "2", 2097152 }, { "bytes", "1048576", 1024 }, { "K;iB", "1", 0 },
    { "KiB", "12x", 0 }, { "EiB", "99", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *unit = cases[i].unit ? g_strdup_printf (" unit='%s'", cases[i].unit)
                                            : g_strdup ("");
      g_autofree char *xml = g_strdup_printf ("<domain type='kvm'><name>m</name>"
                                              "<memory%s>%s</memory></domain>",
                                              unit, cases[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(MwDomainFacts) facts = mw_domain_facts_new_from_xml (xml, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (facts->max_memory_kib, ==, cases[i].kib);
      g_assert_cmpuint (facts->memory_kib, ==, cases[i].kib);
    }
}

static void
test_capabilities (void)
{
  g_autoptr(MwHostFacts) host = mw_host_facts_new ("qemu:///system");
  g_autoptr(GError) error = NULL;
  const char *caps =
    "<capabilities><host><uuid>6D77A000-0000-4000-8000-00000000000A</uuid><cpu>"
    "<arch>x86_64</arch><model>Skylake-Client-IBRS</model><vendor>Intel</vendor>"
    "<feature name='vmx'/><feature name='avx2'/></cpu></host></capabilities>";

  g_assert_true (mw_host_facts_set_capabilities (host, caps, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (host->host_uuid, ==, "6d77a000-0000-4000-8000-00000000000a");
  g_assert_cmpstr (host->arch, ==, "x86_64");
  g_assert_cmpstr (host->cpu_vendor, ==, "Intel");
  g_assert_cmpstr (host->cpu_model, ==, "Skylake-Client-IBRS");
  g_assert_cmpstrv (host->cpu_features, ((const char *[]) { "avx2", "vmx", NULL }));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/facts-parse", test_facts_parse);
  g_test_add_func ("/mw/checks/facts-memory-units", test_facts_memory_units);
  g_test_add_func ("/mw/checks/capabilities", test_capabilities);

  return g_test_run ();
}
