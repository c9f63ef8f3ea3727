/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-check-postcopy.c: can the destination's QEMU open a userfaultfd (post-copy's incoming
 * side)? The probe's output as the lab's hosts print it (QEMU as root, no mount namespace,
 * /dev/userfaultfd 0600 root, vm.unprivileged_userfaultfd 0: it can) and as hosts that cannot
 * print it; the "post-copy" check, the caps' refusal and the policy on both; and the probe's
 * script run for real on this machine. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"
#include "mw-migration-policy.h"

#define V(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)
/* What the probe printed on the lab's hostb (libvirt 11.3, QEMU 10.0, Linux 6.18). */
#define PROBE_LAB "uffd_sysctl 0\nuffd_dev 600 0\nconf_user \"root\"\n" \
                  "conf_namespaces [ ]\nuffd_end\n"
/* A stock Debian 12 host: QEMU as libvirt-qemu (qemu.conf's user commented out), mount
 * namespace on, the sysctl at 0, /dev/userfaultfd 0600 root. */
#define PROBE_STOCK "uffd_sysctl 0\nuffd_dev 600 0\nuffd_end\n"
#define PROBE_OPEN "uffd_sysctl 1\nuffd_dev 600 0\nuffd_end\n"
#define PROBE_NO_KERNEL "uffd_end\n"
#define GUEST_256 "<domain><memory unit='KiB'>262144</memory></domain>"

static MwMigrationCaps *
caps_for (gulong      libvirt,
          gulong      qemu,
          const char *destination_probe)
{
  MwMigrationCaps *caps = mw_migration_caps_new ();
  g_autoptr(GError) error = NULL;

  caps->source = (MwMigrationHostFacts) { g_strdup ("hosta"), libvirt, qemu, 2 };
  caps->destination = (MwMigrationHostFacts) { g_strdup ("hostb"), libvirt, qemu, 2 };
  g_assert_true (mw_migration_caps_set_domain_xml (caps, GUEST_256, &error));
  g_assert_no_error (error);
  if (destination_probe != NULL)
    mw_migration_caps_set_uffd_probe (&caps->destination.uffd, destination_probe);
  return caps;
}

static MwCheckFacts *
facts_with (gboolean postcopy)
{
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();

  options->postcopy = postcopy;
  return mw_check_facts_new ("qemu+ssh://root@hosta/system", "qemu+ssh://root@hostb/system",
                             "labguest", options);
}

static void
test_probe_parse (void)
{
  MwUffdFacts facts = { 0 };

  mw_migration_caps_set_uffd_probe (&facts, PROBE_LAB);
  g_assert_true (facts.probed);
  g_assert_cmpint (facts.sysctl, ==, 0);
  g_assert_true (facts.have_dev);
  g_assert_cmpuint (facts.dev_mode, ==, 0600);
  g_assert_cmpuint (facts.dev_uid, ==, 0);
  g_assert_cmpstr (facts.qemu_user, ==, "root");
  g_assert_true (facts.namespaces_off);
  g_assert_false (facts.keep_caps);

  /* A list over several lines keeps the namespace; a comment and quotes go. */
  mw_migration_caps_set_uffd_probe (&facts, "conf_user 'qemu'  # ours\nconf_namespaces [\n"
                                            "conf_clear_emulator_capabilities 0\nuffd_end\n");
  g_assert_true (facts.probed);
  g_assert_cmpint (facts.sysctl, ==, -1);
  g_assert_false (facts.have_dev);
  g_assert_cmpstr (facts.qemu_user, ==, "qemu");
  g_assert_false (facts.namespaces_off);
  g_assert_true (facts.keep_caps);

  /* Cut short (ssh dropped): nothing known. */
  mw_migration_caps_set_uffd_probe (&facts, "uffd_sysctl 1\n");
  g_assert_false (facts.probed);
  g_assert_null (facts.qemu_user);
  g_free (facts.qemu_user);
}

/* The lab: QEMU 10 as root opens the root-owned /dev/userfaultfd. */
static void
test_lab_can (void)
{
  g_autoptr(MwMigrationCaps) caps = caps_for (V (11, 3), V (10, 0), PROBE_LAB);
  g_autoptr(MwCheckFacts) chosen = facts_with (TRUE);
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;
  MwCheckResult result = { 0 };

  g_assert_null (mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY));
  options->postcopy = TRUE;
  g_assert_true (mw_migration_caps_check (caps, options, &error));
  g_assert_no_error (error);

  mw_check_eval_postcopy (chosen, caps, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  g_assert_cmpstr (result.sentence, ==, "Post-copy can work: QEMU on hostb can open a "
                                        "userfaultfd.");
  g_assert_cmpstr (result.detail, ==, "hostb: vm.unprivileged_userfaultfd 0, /dev/userfaultfd "
                                      "0600 uid 0, QEMU user root, mount namespace off; QEMU "
                                      "gets a userfaultfd: root.");
  mw_check_result_clear (&result);

  /* libvirt 10.1 grants the device in the guest's own /dev when the namespace is on. */
  mw_migration_caps_set_uffd_probe (&caps->destination.uffd, PROBE_STOCK);
  g_assert_null (mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY));
  /* So does the sysctl at 1, whatever the versions. */
  caps->destination.libvirt_version = V (9, 0);
  caps->destination.qemu_version = V (7, 2);
  mw_migration_caps_set_uffd_probe (&caps->destination.uffd, PROBE_OPEN);
  g_assert_null (mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY));
  g_assert_null (mw_migration_caps_uffd_fix (&caps->destination));
}

/* Debian 12's own libvirt 9.0 and QEMU 7.2 with the sysctl at its default: QEMU there cannot
 * use the device, so post-copy fails at the destination's Prepare. */
static void
test_stock_bookworm_cannot (void)
{
  g_autoptr(MwMigrationCaps) caps = caps_for (V (9, 0), V (7, 2), PROBE_STOCK);
  g_autoptr(MwCheckFacts) chosen = facts_with (TRUE);
  g_autoptr(MwCheckFacts) off = facts_with (FALSE);
  g_autoptr(MwMigrationOptions) options = mw_migration_options_new_defaults ();
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  MwCheckResult result = { 0 };
  const char *expected = "Post-copy cannot work: on hostb, vm.unprivileged_userfaultfd is 0 "
                         "and QEMU 7.2 cannot use /dev/userfaultfd instead (QEMU 8.1 can).";

  why = mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY);
  g_assert_cmpstr (why, ==, expected);

  /* The CLI's and the wizard's refusal say the same. */
  options->postcopy = TRUE;
  g_assert_false (mw_migration_caps_check (caps, options, &error));
  g_assert_error (error, MW_MIGRATION_OPTIONS_ERROR, MW_MIGRATION_OPTIONS_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, expected);
  /* A recovery does not ask again. */
  options->postcopy_resume = TRUE;
  g_assert_cmpint (mw_migration_caps_next_needed (options, 0), ==, MW_MIGRATION_N_FEATURES);

  mw_check_eval_postcopy (chosen, caps, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_BLOCKING);
  g_assert_cmpstr (result.sentence, ==, expected);
  g_assert_nonnull (strstr (result.fix, "sysctl -w vm.unprivileged_userfaultfd=1"));
  mw_check_result_clear (&result);

  mw_check_eval_postcopy (off, caps, &result);
  g_assert_cmpint (result.state, ==, MW_CHECK_STATE_PASSED);
  g_assert_true (g_str_has_prefix (result.sentence, "Post-copy is off, and could not be turned "
                                                    "on here. Post-copy cannot work: on hostb"));
  mw_check_result_clear (&result);

  /* QEMU 10 but libvirt 9.0 and QEMU not root: the device is root's alone. */
  caps->destination.qemu_version = V (10, 0);
  g_free (why);
  why = mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY);
  g_assert_cmpstr (why, ==, "Post-copy cannot work: on hostb, vm.unprivileged_userfaultfd is 0 "
                            "and QEMU, running as libvirt-qemu, may not open /dev/userfaultfd "
                            "(mode 0600); libvirt 10.1 grants it by itself when its mount "
                            "namespace is on.");

  /* A kernel without userfaultfd at all. */
  mw_migration_caps_set_uffd_probe (&caps->destination.uffd, PROBE_NO_KERNEL);
  g_free (why);
  why = mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY);
  g_assert_true (g_str_has_prefix (why, "Post-copy cannot work: the kernel on hostb has no "
                                        "userfaultfd"));
}

/* Only the destination's QEMU opens a userfaultfd: a source that could not changes nothing. */
static void
test_source_does_not_matter (void)
{
  g_autoptr(MwMigrationCaps) caps = caps_for (V (11, 3), V (10, 0), PROBE_LAB);

  mw_migration_caps_set_uffd_probe (&caps->source.uffd, PROBE_NO_KERNEL);
  g_assert_null (mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY));
}

/* The policy asks the same question: a guest that outruns the link gets post-copy where the
 * destination can, auto-converge with the reason where it cannot. */
static void
test_policy (void)
{
  g_autoptr(MwMigrationCaps) can = caps_for (V (11, 3), V (10, 0), PROBE_LAB);
  g_autoptr(MwMigrationCaps) cannot = caps_for (V (9, 0), V (7, 2), PROBE_STOCK);
  g_autoptr(MwMigrationOptions) base = mw_migration_options_new_defaults ();
  g_autoptr(MwMigrationOptions) with = NULL;
  g_autoptr(MwMigrationOptions) without = NULL;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *all = NULL;
  MwMigrationPolicyInput input;

  mw_migration_policy_input_init (&input);
  input.link_bps = 32 << 20;
  input.dirty_rate_bps = 64 << 20;
  input.caps = can;
  with = mw_migration_policy_recommend (base, &input, NULL);
  g_assert_true (with->postcopy);
  input.caps = cannot;
  without = mw_migration_policy_recommend (base, &input, &reasons);
  g_assert_false (without->postcopy);
  g_assert_true (without->auto_converge);
  all = g_strjoinv ("\n", reasons);
  g_assert_nonnull (strstr (all, "post-copy cannot work here. Post-copy cannot work: on hostb, "
                                 "vm.unprivileged_userfaultfd is 0"));
}

/* The probe's script itself, run here as for a local qemu:///system: it ends, and says what
 * this machine's /proc says. */
static void
test_probe_runs (void)
{
  g_auto(GStrv) command = mw_migration_caps_uffd_command ();
  g_autofree char *out = mw_migration_caps_run_probe ("qemu:///system",
                                                      (const char * const *) command, 10, NULL);
  g_autofree char *sysctl = NULL;
  MwUffdFacts facts = { 0 };

  g_assert_nonnull (out);
  mw_migration_caps_set_uffd_probe (&facts, out);
  g_assert_true (facts.probed);
  if (g_file_get_contents ("/proc/sys/vm/unprivileged_userfaultfd", &sysctl, NULL, NULL))
    g_assert_cmpint (facts.sysctl, ==, atoi (sysctl) != 0 ? 1 : 0);
  else
    g_assert_cmpint (facts.sysctl, ==, -1);
  g_assert_cmpint (facts.have_dev, ==, g_file_test ("/dev/userfaultfd", G_FILE_TEST_EXISTS));
  g_free (facts.qemu_user);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();

  g_test_add_func ("/mw/checks/postcopy/probe-parse", test_probe_parse);
  g_test_add_func ("/mw/checks/postcopy/lab-can", test_lab_can);
  g_test_add_func ("/mw/checks/postcopy/stock-bookworm-cannot", test_stock_bookworm_cannot);
  g_test_add_func ("/mw/checks/postcopy/source-does-not-matter", test_source_does_not_matter);
  g_test_add_func ("/mw/checks/postcopy/policy", test_policy);
  g_test_add_func ("/mw/checks/postcopy/probe-runs", test_probe_runs);

  return g_test_run ();
}
