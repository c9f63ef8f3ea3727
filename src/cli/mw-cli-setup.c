/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-setup.c: `mig-wizard-cli setup-pool` and `setup-bridge`, the host set-up without the
 * window. Each runs its blocking work in one worker and waits for it (nothing else runs).
 *
 * setup-pool prints one line per step ("hosta: start the pool — failed: …"), then
 * "error: HOST: STEP: CAUSE" per failed host, "verified: …" or "not-verified: …", and
 * "using-instead: POOL PATH" when both hosts already share a pool. A risky plan (anyone may
 * mount, a whole top-level directory) prints "warning: …" lines first. With --apply-server, a
 * server whose SSH host key is not known yet is refused with its fingerprint, unless
 * --accept-host-key names that fingerprint ("trusted: HOST TYPE SHA256:…", pinned in
 * ~/.ssh/known_hosts). Exit: 0 set up and verified,
 * 1 not, 2 bad usage.
 * setup-bridge prints "applied (METHOD)", then "kept", or "reverted" once the host rolled back.
 * Exit: 0 as asked, 1 not, 2 bad usage.
 *
 * Ctrl+C (or SIGTERM) cancels the worker, and the command still waits for it: the runner kills a
 * remote command's ssh and waits for it, and the journal undoes what was done, before the steps
 * are printed and the command exits.
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "mw-bridge-setup.h"
#include "mw-cli-migrate-args.h"
#include "mw-cli-setup.h"
#include "mw-cli-usage.h"
#include "mw-libvirt.h"
#include "mw-setup-task.h"
#include "mw-storage-setup.h"


static void
print_steps (GPtrArray *steps)
{
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      g_autofree char *line = mw_setup_step_to_string (g_ptr_array_index (steps, i));

      g_print ("%s\n", line);
    }
}

static gboolean
on_signal_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_main_loop_quit (user_data);
}

/* Runs func on job in one worker and waits for it to end, cancelled by Ctrl+C or SIGTERM. The
 * task keeps func's own result even then: it says which steps ran and what was undone. */
static GTask *
run_job (MwSetupTaskFunc  func,
         gpointer         job,
         GDestroyNotify   result_free)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GTask *task = mw_setup_task_new (run_job, job, NULL, cancellable, on_job_done_cb, loop);
  guint sigint = g_unix_signal_add (SIGINT, on_signal_cb, cancellable);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal_cb, cancellable);

  g_task_set_check_cancellable (task, FALSE);
  mw_setup_task_run (task, func, result_free);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  return task;
}

typedef struct
{
  MwNfsPlan *plan;
  char *uri_a;
  char *uri_b;
  gboolean apply_server;
  const char *accept_host_key;  /* "SHA256:…" or NULL */
} PoolJob;

/* Before the first ssh to the server: its host key must be known, or the one the user accepted
 * with --accept-host-key (then pinned in known_hosts). A key nobody confirmed is refused, with
 * its fingerprint to compare. */
static gboolean
confirm_server_key (PoolJob       *job,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(MwSshTarget) target = mw_nfs_plan_get_ssh_target (job->plan, error);
  g_autoptr(MwSshHostKeyCheck) check = NULL;
  g_autoptr(GError) local_error = NULL;
  const MwSshHostKey *key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *advice = NULL;

  if (target == NULL)
    return FALSE;
  check = mw_ssh_check_host_key (NULL, target, cancellable, &local_error);
  name = mw_ssh_target_get_known_name (target);
  if (check == NULL)
    {
      mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, name, _("check the SSH host key"),
                          local_error->message);
      return FALSE;
    }

  switch (mw_setup_host_key_decide (check, job->accept_host_key, &key))
    {
    case MW_SETUP_HOST_KEY_TRUSTED:
      return TRUE;
    case MW_SETUP_HOST_KEY_ACCEPTED:
      if (!mw_ssh_accept_host_key (NULL, target, key, cancellable, &local_error))
        {
          mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, name, _("trust the SSH host key"),
                              local_error->message);
          return FALSE;
        }
      g_print ("trusted: %s %s %s\n", name, key->type, key->fingerprint);
      return TRUE;
    case MW_SETUP_HOST_KEY_MISMATCH:
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT,
                   /* Translators: %1$s the fingerprint given, %2$s the server, %3$s the key
                    * type, %4$s its fingerprint */
                   _("%1$s is not a fingerprint of the SSH host keys of %2$s, which offers %3$s "
                     "%4$s. Nothing was changed."),
                   job->accept_host_key, name, key->type, key->fingerprint);
      return FALSE;
    case MW_SETUP_HOST_KEY_ASK:
    default:
      advice = mw_ssh_host_key_compare_advice (key);
      g_set_error (error, MW_SETUP_ERROR, MW_SETUP_ERROR_CONFLICT,
                   /* Translators: %1$s the server, %2$s the key type, %3$s its fingerprint,
                    * %4$s the sentence on how to compare it */
                   _("The SSH host key of %1$s is not known yet: %2$s %3$s. %4$s If they are "
                     "the same, run again with --accept-host-key %3$s. Nothing was changed."),
                   name, key->type, key->fingerprint, advice);
      return FALSE;
    }
}

static gboolean
pool_call (gpointer       data,
           gpointer      *result,
           GCancellable  *cancellable,
           GError       **error)
{
  PoolJob *job = data;

  if (job->apply_server)
    {
      g_autoptr(GPtrArray) steps = NULL;
      gboolean ok;

      if (!confirm_server_key (job, cancellable, error))
        return FALSE;
      ok = mw_nfs_apply_server (job->plan, cancellable, &steps, error);

      print_steps (steps);
      if (!ok)
        return FALSE;
    }
  *result = mw_nfs_setup_pools (job->plan, job->uri_a, job->uri_b, cancellable, error);
  return *result != NULL;
}

int
mw_cli_setup_pool (int    argc,
                   char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *network = NULL;
  g_autofree char *pool = NULL;
  g_autofree char *target = NULL;
  g_autofree char *user = NULL;
  g_autofree char *accept_host_key = NULL;
  gboolean print_plan = FALSE;
  gboolean apply_server = FALSE;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The NFS server"), N_("HOST") },
    { "export", 0, 0, G_OPTION_ARG_STRING, &export_path, N_("The exported directory"),
      N_("PATH") },
    { "network", 0, 0, G_OPTION_ARG_STRING, &network, N_("Who may mount it (the hosts’ "
      "network)"), N_("CIDR") },
    { "pool", 0, 0, G_OPTION_ARG_STRING, &pool, N_("The pool name on both hosts"), N_("NAME") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, N_("Where both hosts mount it"),
      N_("PATH") },
    { "ssh-user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User for ssh to the server (root)"),
      N_("USER") },
    { "print-plan", 0, 0, G_OPTION_ARG_NONE, &print_plan, N_("Only print what would be done"),
      NULL },
    { "apply-server", 0, 0, G_OPTION_ARG_NONE, &apply_server,
      N_("Also set up the server over ssh"), NULL },
    { "accept-host-key", 0, 0, G_OPTION_ARG_STRING, &accept_host_key,
      N_("Trust the server’s SSH host key with this fingerprint"), N_("SHA256:…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("URI_A URI_B — the same NFS "
                                                              "pool on two hosts"));
  g_autoptr(MwNfsPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(MwPoolSetupResult) result = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) warnings = NULL;
  PoolJob job = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mw_cli_parse_options (context, &argc, &argv, &error))
    return mw_cli_usage_error (error->message);
  if (server == NULL || export_path == NULL || network == NULL)
    return mw_cli_usage_error (_("setup-pool needs --server, --export and --network."));

  plan = mw_nfs_plan_new (server, export_path, network, pool, target);
  plan->ssh_user = g_strdup (user);
  if (!mw_nfs_plan_validate (plan, &error))
    return mw_cli_usage_error (error->message);
  warnings = mw_nfs_plan_get_warnings (plan);
  for (guint i = 0; warnings[i] != NULL; i++)
    g_print ("warning: %s\n", warnings[i]);
  if (print_plan)
    {
      text = mw_nfs_plan_render (plan);
      g_print ("%s", text);
      return 0;
    }
  if (argc != 3)
    return mw_cli_usage_error (_("setup-pool needs two URIs."));
  if (!mw_cli_check_uri ("URI_A", argv[1], &error) || !mw_cli_check_uri ("URI_B", argv[2], &error))
    return mw_cli_usage_error (error->message);

  mw_libvirt_init ();
  job.plan = plan;
  job.uri_a = argv[1];
  job.uri_b = argv[2];
  job.apply_server = apply_server;
  job.accept_host_key = accept_host_key;
  task = run_job (pool_call, &job, (GDestroyNotify) mw_pool_setup_result_free);
  result = g_task_propagate_pointer (task, &error);
  if (result == NULL)
    {
      g_print ("error: %s\n", error->message);
      return 1;
    }

  print_steps (result->steps);
  if (result->error_a != NULL)
    g_print ("error: %s\n", result->error_a);
  if (result->error_b != NULL)
    g_print ("error: %s\n", result->error_b);
  if (result->verified)
    g_print ("verified: a volume made on the first host was seen on the second\n");
  else if (result->verify_error != NULL)
    g_print ("not-verified: %s\n", result->verify_error);
  if (result->fallback_pool != NULL)
    g_print ("using-instead: %s %s\n", result->fallback_pool, result->fallback_path);
  return mw_pool_setup_result_ok (result) ? 0 : 1;
}

typedef struct
{
  MwBridgePlan *plan;
  gboolean confirm;
  gboolean revert_now;
} BridgeJob;

static const char *
method_name (MwBridgeMethod method)
{
  switch (method)
    {
    case MW_BRIDGE_METHOD_NETWORK_MANAGER:
      return "NetworkManager";
    case MW_BRIDGE_METHOD_IPROUTE2:
      return "iproute2";
    case MW_BRIDGE_METHOD_AUTO:
    default:
      return "auto";
    }
}

static gboolean
bridge_call (gpointer       data,
             gpointer      *result,
             GCancellable  *cancellable,
             GError       **error)
{
  BridgeJob *job = data;
  g_autoptr(MwBridgeChange) change = NULL;
  g_autoptr(GError) query_error = NULL;
  MwBridgeOutcome outcome;
  gint64 end;

  change = mw_bridge_create (job->plan, cancellable, error);
  if (change == NULL)
    return FALSE;
  g_print ("applied (%s); rolls back in %u s unless confirmed\n",
           method_name (mw_bridge_change_get_method (change)), job->plan->timeout_s);

  if (job->confirm || job->revert_now)
    {
      if (job->confirm ? !mw_bridge_change_confirm (change, cancellable, error)
                       : !mw_bridge_change_revert (change, cancellable, error))
        return FALSE;
      g_print (job->confirm ? "kept\n" : "reverted\n");
      return TRUE;
    }

  /* Nobody confirms: wait for the host to roll back by itself (it does, even if cancelled). */
  end = mw_bridge_change_get_deadline (change) + 10 * G_USEC_PER_SEC;
  do
    {
      g_usleep (G_USEC_PER_SEC / 2);
      g_clear_error (&query_error);
      outcome = mw_bridge_change_query (change, cancellable, &query_error);
    }
  while (outcome == MW_BRIDGE_OUTCOME_PENDING && g_get_monotonic_time () < end
         && !g_cancellable_is_cancelled (cancellable));
  if (outcome != MW_BRIDGE_OUTCOME_REVERTED)
    {
      mw_setup_set_error (error, MW_SETUP_ERROR_FAILED, job->plan->ssh_target,
                          _("wait for the rollback"),
                          query_error != NULL ? query_error->message
                                              : _("the host did not report a rollback"));
      return FALSE;
    }
  g_print ("reverted\n");
  return TRUE;
}

int
mw_cli_setup_bridge (int    argc,
                     char **argv)
{
  g_autofree char *ssh_target = NULL;
  g_autofree char *bridge = NULL;
  g_autofree char *nic = NULL;
  g_autofree char *method = NULL;
  int timeout_s = MW_BRIDGE_DEFAULT_TIMEOUT_S;
  gboolean confirm = FALSE;
  gboolean revert_now = FALSE;
  GOptionEntry entries[] = {
    { "ssh", 0, 0, G_OPTION_ARG_STRING, &ssh_target, N_("The host, as for ssh"),
      N_("USER@HOST") },
    { "bridge", 0, 0, G_OPTION_ARG_STRING, &bridge, N_("The bridge to create"), N_("NAME") },
    { "nic", 0, 0, G_OPTION_ARG_STRING, &nic, N_("The interface whose addresses move onto it"),
      N_("NAME") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Roll back unless confirmed within"),
      N_("SECONDS") },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, N_("auto, nm or iproute2"), N_("METHOD") },
    { "confirm", 0, 0, G_OPTION_ARG_NONE, &confirm, N_("Keep the change once the host answers"),
      NULL },
    { "revert-now", 0, 0, G_OPTION_ARG_NONE, &revert_now, N_("Roll back at once"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— a bridge that rolls back "
                                                              "unless confirmed"));
  g_autoptr(MwBridgePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  BridgeJob job = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mw_cli_parse_options (context, &argc, &argv, &error))
    return mw_cli_usage_error (error->message);
  if (ssh_target == NULL || bridge == NULL || argc != 1)
    return mw_cli_usage_error (_("setup-bridge needs --ssh and --bridge."));
  if (nic != NULL && *nic == '\0')
    return mw_cli_usage_error (_("--nic needs an interface name."));
  if (timeout_s < 5 || timeout_s > 600)
    return mw_cli_usage_error (_("--timeout takes 5 to 600 seconds."));

  plan = mw_bridge_plan_new (ssh_target, bridge, nic, (guint) timeout_s);
  if (g_strcmp0 (method, "nm") == 0)
    plan->method = MW_BRIDGE_METHOD_NETWORK_MANAGER;
  else if (g_strcmp0 (method, "iproute2") == 0)
    plan->method = MW_BRIDGE_METHOD_IPROUTE2;
  else if (method != NULL && !g_str_equal (method, "auto"))
    return mw_cli_usage_error (_("--method is auto, nm or iproute2."));
  if (!mw_bridge_plan_validate (plan, &error))
    return mw_cli_usage_error (error->message);

  job.plan = plan;
  job.confirm = confirm;
  job.revert_now = revert_now;
  task = run_job (bridge_call, &job, NULL);
  if (!g_task_propagate_boolean (task, &error))
    {
      g_print ("error: %s\n", error->message);
      return 1;
    }
  return 0;
}
