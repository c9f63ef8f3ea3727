/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-rules.c: the table of pre-flight checks, and running commands for the probes. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-uri.h"

static const MwCheckSpec specs[] = {
  { "connections", N_("Connections"), MW_CHECK_NEEDS_NOTHING, mw_check_run_connections, NULL },
  { "same-host", N_("Two different hosts"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST,
    mw_check_run_same_host, NULL },
  { "dest-hostname", N_("Destination host name"), MW_CHECK_NEEDS_DEST,
    mw_check_run_dest_hostname, NULL },
  { "peer-to-peer", N_("Source reaches the destination"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST, mw_check_run_peer_to_peer, NULL },
  { "ports", N_("Migration ports"), MW_CHECK_NEEDS_DEST, mw_check_run_ports, NULL },
  { "hypervisor", N_("Hypervisor and architecture"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST,
    mw_check_run_hypervisor, NULL },
  { "cpu", N_("Guest CPU on the destination"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN, mw_check_run_cpu, NULL },
  { "cpu-flags", N_("CPU vendor and features"), MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST,
    mw_check_run_cpu_flags, NULL },
  { "name", N_("Name and UUID free on the destination"),
    MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN, mw_check_run_name, NULL },
  { "memory", N_("Memory on the destination"), MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_run_memory, NULL },
  { "storage", N_("Disks on shared storage"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN, mw_check_run_storage,
    NULL },
  { "disk-cache", N_("Disk cache mode"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN, mw_check_run_disk_cache,
    mw_check_fix_disk_cache },
  { "devices", N_("Devices that stay behind"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN, mw_check_run_devices,
    NULL },
  { "network", N_("Networks on the destination"), MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_run_network, NULL },
  { "lock-manager", N_("Disk locking"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DEST | MW_CHECK_NEEDS_DOMAIN,
    mw_check_run_lock_manager, NULL },
  { "cluster", N_("Cluster management"), MW_CHECK_NEEDS_DOMAIN, mw_check_run_cluster, NULL },
  { "forecast", N_("Convergence forecast"),
    MW_CHECK_NEEDS_SOURCE | MW_CHECK_NEEDS_DOMAIN, mw_check_run_forecast, NULL },
};

const MwCheckSpec *
mw_check_specs_get (guint *n_specs)
{
  *n_specs = G_N_ELEMENTS (specs);
  return specs;
}

const MwCheckSpec *
mw_check_specs_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    if (g_str_equal (specs[i].id, id))
      return &specs[i];
  return NULL;
}

gboolean
mw_check_source_ssh_argv (const MwCheckFacts *facts,
                          const char * const *command,
                          guint               timeout_s,
                          GStrv              *argv)
{
  g_autoptr(MwUri) uri = mw_uri_parse (facts->source_uri, NULL);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *connect_timeout = NULL;
  g_autofree char *port = NULL;

  if (uri == NULL || uri->transport != MW_TRANSPORT_SSH)
    return FALSE;

  builder = g_strv_builder_new ();
  connect_timeout = g_strdup_printf ("ConnectTimeout=%u", MAX (timeout_s / 2, 1));
  g_strv_builder_add_many (builder, "ssh", "-o", "BatchMode=yes", "-o", connect_timeout, NULL);
  if (uri->port != 0)
    {
      port = g_strdup_printf ("%u", uri->port);
      g_strv_builder_add_many (builder, "-p", port, NULL);
    }
  if (uri->user != NULL)
    g_strv_builder_add_many (builder, "-l", uri->user, NULL);
  /* The host was validated by mw_uri_parse: it cannot be read as an ssh option. */
  g_strv_builder_add_many (builder, "--", uri->host, NULL);
  remote = mw_shell_join (command);
  g_strv_builder_add (builder, remote);
  *argv = g_strv_builder_end (builder);
  return TRUE;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  char *stdout_text;
  char *stderr_text;
  GError *error;
} SpawnWait;

static gboolean
on_spawn_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_communicate_done_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SpawnWait *wait = user_data;

  wait->ok = g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source_object), result,
                                                   &wait->stdout_text, &wait->stderr_text,
                                                   &wait->error);
  wait->done = TRUE;
}

gboolean
mw_check_spawn (const char * const *argv,
                guint               timeout_s,
                GCancellable       *cancellable,
                char              **out,
                int                *status,
                GError            **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) timeout = g_cancellable_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSource) source = NULL;
  SpawnWait wait = { 0 };
  gulong handler = 0;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (process == NULL)
    return FALSE;

  /* A private context, iterated here: this runs in a worker thread. */
  g_main_context_push_thread_default (context);
  source = g_timeout_source_new_seconds (MAX (timeout_s, 1));
  g_source_set_callback (source, on_spawn_timeout_cb, timeout, NULL);
  g_source_attach (source, context);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                     g_object_ref (timeout), g_object_unref);
  g_subprocess_communicate_utf8_async (process, "", timeout, on_communicate_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (context, TRUE);
  g_cancellable_disconnect (cancellable, handler);
  g_source_destroy (source);
  g_main_context_pop_thread_default (context);

  if (!wait.ok)
    {
      g_subprocess_force_exit (process);
      if (g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (&wait.error);
          *status = -1;
          *out = g_strdup ("");
          return TRUE;
        }
      g_propagate_error (error, wait.error);
      return FALSE;
    }

  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  *out = g_strstrip (g_strconcat (wait.stdout_text ? wait.stdout_text : "",
                                  wait.stderr_text ? wait.stderr_text : "", NULL));
  g_free (wait.stdout_text);
  g_free (wait.stderr_text);
  return TRUE;
}
