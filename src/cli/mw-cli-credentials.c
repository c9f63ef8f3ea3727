/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-cli-credentials.c: questions on the controlling terminal, one connection at a time (the
 * migrate and evacuate commands open hosts in parallel workers). */
#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mw-cli-credentials.h"
#include "mw-credentials.h"

/* Lines longer than this are cut: no credential is that long. */
#define MAX_ANSWER 1024

static GMutex terminal_lock;

/* Shows prompt and reads one line from tty into a fresh string (without its newline). For a
 * secret, echo goes off before the prompt shows, as getpass() does: a person (or a test) who
 * types as soon as the prompt appears must never see the secret echoed. NULL at end of input. */
static char *
read_answer (FILE       *tty,
             const char *prompt,
             gboolean    secret)
{
  struct termios saved, quiet;
  gboolean restore = FALSE;
  char line[MAX_ANSWER];
  char *answer = NULL;

  if (secret && tcgetattr (fileno (tty), &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      restore = tcsetattr (fileno (tty), TCSADRAIN, &quiet) == 0;
    }
  fputs (prompt, tty);
  fflush (tty);
  if (fgets (line, sizeof line, tty) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      answer = g_strdup (line);
    }
  explicit_bzero (line, sizeof line);
  if (restore)
    tcsetattr (fileno (tty), TCSADRAIN, &saved);
  return answer;
}

static const char *
field_prompt (const MwCredentialField *field)
{
  switch (field->kind)
    {
    case MW_CREDENTIAL_USERNAME:
      return _("Username");
    case MW_CREDENTIAL_PASSWORD:
      return _("Password");
    case MW_CREDENTIAL_REALM:
      return _("Realm");
    case MW_CREDENTIAL_PROMPT:
    case MW_CREDENTIAL_SECRET_PROMPT:
    default:
      return field->prompt;
    }
}

/* A connection's worker. */
static gboolean
ask (MwCredentialRequest  *request,
     gpointer              user_data,
     GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  FILE *tty;
  int fd;

  fd = isatty (STDIN_FILENO) ? open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s asks for a username and password, none are remembered in the keyring, "
                     "and there is no terminal to ask on. Run the command in a terminal, or "
                     "connect once with MigWizard and tick “Remember in keyring”."),
                   request->uri);
      return FALSE;
    }
  tty = fdopen (fd, "r+");
  if (tty == NULL)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The terminal could not be opened to ask for the credentials."));
      return FALSE;
    }

  /* Unbuffered: no copy of an answer stays in a stdio buffer that is freed unwiped. */
  setvbuf (tty, NULL, _IONBF, 0);
  locker = g_mutex_locker_new (&terminal_lock);
  if (request->problem != NULL)
    fprintf (tty, "%s\n", request->problem);
  /* Translators: %s is a libvirt connection URI */
  fprintf (tty, _("The host asks for your credentials to open %s.\n"), request->uri);
  for (guint i = 0; i < request->fields->len; i++)
    {
      MwCredentialField *field = mw_credential_request_get (request, i);
      gboolean secret = mw_credential_kind_is_secret (field->kind);
      g_autofree char *prompt = NULL;
      char *answer;

      if (field->value != NULL && !secret)
        /* Translators: a terminal prompt; %s is "Username", the second %s a default answer */
        prompt = g_strdup_printf (_("%s [%s]: "), field_prompt (field), field->value);
      else
        /* Translators: a terminal prompt; %s is "Username" or "Password" */
        prompt = g_strdup_printf (_("%s: "), field_prompt (field));
      answer = read_answer (tty, prompt, secret);
      if (answer == NULL)
        {
          fclose (tty);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("The connection was not opened because no credentials were given."));
          return FALSE;
        }
      if (*answer != '\0' || secret)
        mw_credential_request_set_value (request, i, answer);
      mw_credentials_wipe (answer);
    }
  fclose (tty);
  /* The terminal never stores: remembering is the app's "Remember in keyring". */
  request->remember = FALSE;
  return TRUE;
}

void
mw_cli_credentials_install (void)
{
  mw_credentials_set_provider (ask, NULL);
}
