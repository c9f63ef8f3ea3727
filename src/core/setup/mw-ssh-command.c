/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-command.c: running OpenSSH's programs: the one ssh command line, the askpass
 * environment for a password, and what a failed ssh means.
 *
 * Every program runs through the one runner (mw-process.h): argv only, no terminal, LC_ALL=C,
 * its own process group killed on cancel. ssh never finds a terminal to prompt on: a password
 * goes through mw-askpass, everything else is BatchMode. Any thread. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-process.h"
#include "mw-shell.h"
#include "mw-ssh-private.h"

#define SSH_RUN_TIMEOUT_S 300

void
mw_ssh_output_clear (MwSshOutput *output)
{
  g_clear_pointer (&output->out, g_free);
  g_clear_pointer (&output->err, g_free);
  output->status = 0;
}

gboolean
mw_ssh_run (const char * const  *argv,
            const char * const  *env,
            const char          *stdin_text,
            MwSshOutput         *output,
            GCancellable        *cancellable,
            GError             **error)
{
  MwProcessSpec spec = { argv, env, stdin_text, SSH_RUN_TIMEOUT_S };
  MwProcessResult result;
  g_autoptr(GError) local_error = NULL;

  if (!mw_process_run (&spec, cancellable, &result, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, local_error->message);
      return FALSE;
    }
  if (output != NULL)
    {
      output->out = g_steal_pointer (&result.out);
      output->err = g_strstrip (g_steal_pointer (&result.err));
      output->status = result.status;
    }
  mw_process_result_clear (&result);
  return TRUE;
}

/* The options every ssh gets: the explicit files when the context names a directory, the
 * target's port and user, and a refusal of unknown or changed host keys. */
void
mw_ssh_add_options (GPtrArray          *argv,
                    const MwSshContext *context,
                    const MwSshTarget  *target)
{
  const char *program = g_getenv ("MW_SSH");

  /* MW_SSH: the tests' stand-in for ssh. */
  g_ptr_array_add (argv, g_strdup (program != NULL && *program != '\0' ? program : "ssh"));
  if (context != NULL && context->config_file != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-F"));
      g_ptr_array_add (argv, g_strdup (context->config_file));
    }
  if (context != NULL && context->ssh_dir != NULL)
    {
      g_autofree char *identity = g_build_filename (context->ssh_dir, "id_ed25519", NULL);

      g_ptr_array_add (argv, g_strdup_printf ("-oUserKnownHostsFile=%s/known_hosts",
                                              context->ssh_dir));
      g_ptr_array_add (argv, g_strdup ("-oGlobalKnownHostsFile=/dev/null"));
      g_ptr_array_add (argv, g_strdup ("-i"));
      g_ptr_array_add (argv, g_steal_pointer (&identity));
    }
  g_ptr_array_add (argv, g_strdup ("-oStrictHostKeyChecking=yes"));
  g_ptr_array_add (argv, g_strdup ("-oConnectTimeout=" MW_SSH_CONNECT_TIMEOUT_S));
  if (target->port != 0)
    {
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", target->port));
    }
  if (target->user != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (target->user));
    }
}

GStrv
mw_ssh_build_argv (const MwSshContext *context,
                   const MwSshTarget  *target,
                   const char * const *extra_options,
                   const char         *remote_command)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (target != NULL && target->host != NULL, NULL);
  g_return_val_if_fail (remote_command != NULL, NULL);

  mw_ssh_add_options (argv, context, target);
  g_ptr_array_add (argv, g_strdup ("-oBatchMode=yes"));
  g_ptr_array_add (argv, g_strdup ("-T"));
  for (guint i = 0; extra_options != NULL && extra_options[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_options[i]));
  /* mw_ssh_target_parse validated the host: after "--" it can only be a host. */
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_strdup (target->host));
  g_ptr_array_add (argv, g_strdup (remote_command));
  g_ptr_array_add (argv, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}

GStrv
mw_ssh_build_uri_argv (const char         *uri,
                       const char * const *command)
{
  g_autoptr(MwUri) parsed = NULL;
  g_autoptr(MwSshTarget) target = NULL;
  g_autofree char *remote = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (command != NULL && command[0] != NULL, NULL);

  parsed = mw_uri_parse (uri, NULL);
  if (parsed == NULL || parsed->transport != MW_TRANSPORT_SSH || parsed->host == NULL)
    return NULL;
  target = mw_ssh_target_new_for_uri (uri, NULL);
  if (target == NULL)
    return NULL;
  remote = mw_shell_join (command);
  return mw_ssh_build_argv (NULL, target, NULL, remote);
}

gboolean
mw_ssh_run_batch (const MwSshContext  *context,
                  const MwSshTarget   *target,
                  const char          *remote_command,
                  MwSshOutput         *output,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_auto(GStrv) argv = mw_ssh_build_argv (context, target, NULL, remote_command);

  return mw_ssh_run ((const char * const *) argv, NULL, "", output, cancellable, error);
}

static char *
get_askpass (const MwSshContext *context)
{
  const char *env = g_getenv ("MW_ASKPASS");

  if (context != NULL && context->askpass != NULL)
    return g_strdup (context->askpass);
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (LIBEXECDIR, "mw-askpass", NULL);
}

GStrv
mw_ssh_askpass_env (const MwSshContext *context)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *askpass = get_askpass (context);
  const char *display = g_getenv ("DISPLAY");

  g_strv_builder_add_many (builder, "SSH_ASKPASS", askpass, "SSH_ASKPASS_REQUIRE", "force",
                           "DISPLAY", display != NULL && *display != '\0' ? display : ":0",
                           "MW_ASKPASS_FD", "0", NULL);
  return g_strv_builder_end (builder);
}

gboolean
mw_ssh_set_failed (const char  *what,
                   int          status,
                   const char  *err,
                   GError     **error)
{
  if (strstr (err, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL)
    g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED,
                 _("%s: the host key has CHANGED; nothing was done.\n%s"), what, err);
  else if (strstr (err, "Permission denied") != NULL)
    g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_AUTH, _("%s: the login was refused.\n%s"),
                 what, err);
  else
    g_set_error (error, MW_SSH_ERROR, MW_SSH_ERROR_FAILED, _("%s failed (exit %d).\n%s"),
                 what, status, err);
  return FALSE;
}

const char *
mw_ssh_first_line (const char *text)
{
  static GPrivate buffer = G_PRIVATE_INIT (g_free);
  const char *newline = text != NULL ? strchr (text, '\n') : NULL;
  char *line;

  if (text == NULL || *text == '\0')
    return "";
  line = newline != NULL ? g_strndup (text, newline - text) : g_strdup (text);
  g_private_replace (&buffer, line);
  return line;
}

void
mw_ssh_wipe (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
}
