/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-check-vantage.c: the destination-hostname and migration-port checks look from where the
 * migration stream starts. A fake ssh ($MW_SSH) plays the source hosts:
 *   hosta     answers: it resolves hostb.mwtest.invalid (which this computer cannot), and a
 *             port probe to it is refused (nothing filters)
 *   hostwall  answers, but resolves nothing and its port probes time out (a firewall drops them)
 *   hostdown  cannot be reached (ssh exits 255)
 * Every call is logged, so a test can tell whether the source was asked at all. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-check-rules.h"

#define DEST "hostb.mwtest.invalid"

static char *fake_dir;
static char *fake_log;

static const char *const fake_ssh =
  "#!/bin/sh\n"
  "# fake ssh: options, --, host, remote command\n"
  "for last; do :; done\n"
  "host=\n"
  "prev=\n"
  "for a; do [ \"$prev\" = -- ] && host=$a; prev=$a; done\n"
  "printf '%s %s\\n' \"$host\" \"$last\" >> \"$MWTEST_SSH_LOG\"\n"
  "case $host in\n"
  "  hostdown) echo 'ssh: connect to host hostdown port 22: No route to host' >&2; exit 255 ;;\n"
  "esac\n"
  "case $last in\n"
  "  'getent ahosts " DEST "')\n"
  "    [ \"$host\" = hosta ] || exit 2\n"
  "    printf '10.78.0.3       STREAM " DEST "\\n10.78.0.3       DGRAM\\n'; exit 0 ;;\n"
  "  'getent ahosts '*) exit 2 ;;\n"
  "  *'/dev/tcp/'*)\n"
  "    [ \"$host\" = hostwall ] && exit 124\n"
  "    echo 'bash: connect: Connection refused' >&2; exit 1 ;;\n"
  "esac\n"
  "exit 127\n";

static MwCheckFacts *
make_facts (const char *source_uri)
{
  MwCheckFacts *facts = mw_check_facts_new (source_uri, "qemu+ssh://root@" DEST "/system",
                                            "guest", NULL);

  facts->source->hostname = g_strdup ("hosta");
  facts->dest->hostname = g_strdup (DEST);
  return facts;
}

static char *
read_log (void)
{
  char *text = NULL;

  if (!g_file_get_contents (fake_log, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* Runs a check's run function as MwPreflight's worker would, with an empty log first. */
static void
run_check (MwCheckRunFunc  run,
           MwCheckFacts   *facts,
           MwCheckResult  *result)
{
  MwCheckContext context = { facts, NULL, NULL, 6 };

  g_assert_true (g_file_set_contents (fake_log, "", 0, NULL));
  run (&context, result, NULL);
}

static void
assert_result (MwCheckResult *result,
               MwCheckState   state,
               const char    *in_sentence,
               const char    *in_detail)
{
  if (result->state != state)
    g_error ("expected %s, got %s: %s", mw_check_state_to_nick (state),
             mw_check_state_to_nick (result->state), result->sentence);
  if (in_sentence != NULL && strstr (result->sentence, in_sentence) == NULL)
    g_error ("“%s” not in the sentence “%s”", in_sentence, result->sentence);
  if (in_detail != NULL && (result->detail == NULL || strstr (result->detail, in_detail) == NULL))
    g_error ("“%s” not in the detail “%s”", in_detail, result->detail);
  mw_check_result_clear (result);
}

/* The source answers: it resolves the name (this computer could not) and reaches the port. */
static void
test_from_source (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("qemu+ssh://root@hosta/system");
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  MwCheckResult result = { 0 };
  g_autofree char *log = NULL;

  /* This computer cannot resolve the name: a pass can only come from the source. */
  g_assert_null (g_resolver_lookup_by_name (resolver, DEST, NULL, NULL));

  run_check (mw_check_run_dest_hostname, facts, &result);
  log = read_log ();
  g_assert_cmpstr (log, ==, "hosta getent ahosts " DEST "\n");
  assert_result (&result, MW_CHECK_STATE_PASSED, "The source host, hosta, resolves",
                 "“" DEST "” resolves to 10.78.0.3.");

  run_check (mw_check_run_ports, facts, &result);
  g_free (log);
  log = read_log ();
  /* Argument vector, quoted once for the remote shell: the host is an argument, not code. */
  g_assert_nonnull (strstr (log, "hosta env LC_ALL=C timeout 2 bash -c "
                                 "'exec 3<>\"/dev/tcp/$1/$2\"' probe " DEST " 49152\n"));
  assert_result (&result, MW_CHECK_STATE_PASSED, "The source host, hosta, reaches",
                 "from the source host, hosta, over ssh");
}

/* The source answers and says no: blocking, and it says where from. */
static void
test_source_says_no (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("qemu+ssh://root@hostwall/system");
  MwCheckResult result = { 0 };

  run_check (mw_check_run_dest_hostname, facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING,
                 "The source host, hostwall, cannot resolve the destination’s name", NULL);
  run_check (mw_check_run_ports, facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING,
                 "A firewall drops connections from the source host, hostwall", NULL);
}

/* The source cannot be asked (ssh fails, or another transport): this computer stands in, says
 * so, and only warns, though it cannot resolve the name itself. */
static void
test_fallback (void)
{
  const char *uris[] = { "qemu+ssh://root@hostdown/system", "qemu+tcp://hostdown/system" };
  const char *why[] = { "ssh to hostdown failed: ssh: connect to host hostdown port 22: No route",
                        "only over ssh" };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(MwCheckFacts) facts = make_facts (uris[i]);
      MwCheckResult result = { 0 };
      g_autofree char *log = NULL;

      run_check (mw_check_run_dest_hostname, facts, &result);
      g_assert_nonnull (result.fix);
      assert_result (&result, MW_CHECK_STATE_WARNING, "Checked from this computer, not from "
                     "hostdown: the destination’s name “" DEST "” does not resolve here", why[i]);
      run_check (mw_check_run_ports, facts, &result);
      assert_result (&result, MW_CHECK_STATE_WARNING, "Checked from this computer, not from "
                     "hostdown", why[i]);
      log = read_log ();
      g_assert_cmpstr (log, ==, i == 0 ? "hostdown env LC_ALL=C timeout 2 bash -c "
                                         "'exec 3<>\"/dev/tcp/$1/$2\"' probe " DEST " 49152\n"
                                       : "");
    }
}

/* A local source URI: this computer is the source, so its own view decides, and no ssh runs. */
static void
test_local_source (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("qemu:///system");
  MwCheckResult result = { 0 };
  g_autofree char *log = NULL;

  run_check (mw_check_run_dest_hostname, facts, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "This computer, the source host, cannot "
                 "resolve", "Looked up on this computer, which is the source host.");
  run_check (mw_check_run_ports, facts, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "This computer, the source host, could not try",
                 "from this computer, which is the source host");
  log = read_log ();
  g_assert_cmpstr (log, ==, "");
}

/* The pure evaluations: only where the stream starts may a result block. */
static void
test_eval (void)
{
  g_autoptr(MwCheckFacts) facts = make_facts ("qemu+ssh://root@hosta/system");
  MwCheckResult result = { 0 };
  MwVantagePoint source = { MW_VANTAGE_SOURCE, NULL };
  MwVantagePoint local = { MW_VANTAGE_LOCAL_SOURCE, NULL };
  MwVantagePoint desktop = { MW_VANTAGE_DESKTOP, "ssh to hosta failed: Permission denied" };
  MwResolveProbe loop = { "hostb", MW_RESOLVE_LOOPBACK, "127.0.1.1", { MW_VANTAGE_DESKTOP,
                                                                        "no ssh" } };
  MwResolveProbe both[] = {
    { "hostb", MW_RESOLVE_REMOTE, "10.77.0.3", { MW_VANTAGE_DESKTOP, "no ssh" } },
    { DEST, MW_RESOLVE_LOOPBACK, "127.0.1.1", { MW_VANTAGE_SOURCE, NULL } },
  };

  mw_check_eval_ports (facts, DEST, MW_PROBE_TIMED_OUT, &desktop, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "not from hosta",
                 "not from hosta: ssh to hosta failed: Permission denied");
  mw_check_eval_ports (facts, DEST, MW_PROBE_TIMED_OUT, &local, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "from this computer, the source host", NULL);
  mw_check_eval_ports (facts, DEST, MW_PROBE_OK, &desktop, NULL, &result);
  assert_result (&result, MW_CHECK_STATE_PASSED, "Checked from this computer, not from hosta",
                 NULL);
  mw_check_eval_ports (facts, DEST, MW_PROBE_FAILED, &source, "No route to host", &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "hosta", "No route to host");

  mw_check_eval_dest_hostname (facts, &loop, 1, &result);
  assert_result (&result, MW_CHECK_STATE_WARNING, "not from hosta: here the destination’s name "
                 "“hostb” resolves to localhost", "Looked up on this computer, not on hosta");
  /* The source's own answer decides over this computer's. */
  mw_check_eval_dest_hostname (facts, both, G_N_ELEMENTS (both), &result);
  assert_result (&result, MW_CHECK_STATE_BLOCKING, "On the source host, hosta", "“hostb” "
                 "resolves to 10.77.0.3.\nLooked up on the source host, hosta, over ssh");
}

int
main (int argc, char **argv)
{
  g_autofree char *ssh = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Before any thread exists. */
  fake_dir = g_dir_make_tmp ("mwtest-vantage-XXXXXX", NULL);
  g_assert_nonnull (fake_dir);
  ssh = g_build_filename (fake_dir, "ssh", NULL);
  fake_log = g_build_filename (fake_dir, "log", NULL);
  g_assert_true (g_file_set_contents (ssh, fake_ssh, -1, NULL));
  g_assert_cmpint (g_chmod (ssh, 0755), ==, 0);
  g_setenv ("MW_SSH", ssh, TRUE);
  g_setenv ("MWTEST_SSH_LOG", fake_log, TRUE);

  g_test_add_func ("/mw/checks/vantage/from-source", test_from_source);
  g_test_add_func ("/mw/checks/vantage/source-says-no", test_source_says_no);
  g_test_add_func ("/mw/checks/vantage/fallback", test_fallback);
  g_test_add_func ("/mw/checks/vantage/local-source", test_local_source);
  g_test_add_func ("/mw/checks/vantage/eval", test_eval);

  status = g_test_run ();
  g_unlink (fake_log);
  g_unlink (ssh);
  g_rmdir (fake_dir);
  g_free (fake_log);
  g_free (fake_dir);
  return status;
}
