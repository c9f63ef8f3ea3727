/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-askpass: the SSH_ASKPASS program MigWizard points ssh at.
 *
 * ssh runs it with the prompt as its only argument and reads the answer from its stdout. The
 * answer comes from the descriptor named in MW_ASKPASS_FD (a pipe MigWizard wrote the password
 * into and closed, one line per expected prompt; ssh closes every descriptor above 2 at start, so
 * MigWizard uses ssh's stdin, fd 0, which ssh leaves to the askpass program). The password is
 * never in argv, the environment or a file, and this program logs nothing but its own failures
 * (never the password).
 * Plain C and libc only: it is small enough to read in one sitting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SECRET 4096

int
main (int   argc,
      char *argv[])
{
  char secret[MAX_SECRET + 1];
  const char *fd_text = getenv ("MW_ASKPASS_FD");
  char *end = NULL;
  size_t length = 0;
  long fd;

  (void) argc;
  (void) argv;

  if (fd_text == NULL || *fd_text == '\0')
    {
      fputs ("mw-askpass: MW_ASKPASS_FD is not set; this program is only run by MigWizard\n",
             stderr);
      return 1;
    }
  errno = 0;
  fd = strtol (fd_text, &end, 10);
  if (errno != 0 || *end != '\0' || fd < 0 || fd > 1023)
    {
      fputs ("mw-askpass: MW_ASKPASS_FD is not a descriptor number\n", stderr);
      return 1;
    }
  /* Nothing is handed further down. */
  unsetenv ("MW_ASKPASS_FD");

  /* One line is one answer. The pipe is read a byte at a time so that the rest stays in it:
   * a program that prompts twice (ssh-keygen: the new passphrase, then again) runs this helper
   * twice, and the second run finds the second line. */
  while (length < MAX_SECRET)
    {
      ssize_t n = read ((int) fd, secret + length, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          fputs ("mw-askpass: cannot read the password pipe\n", stderr);
          memset (secret, 0, sizeof secret);
          return 1;
        }
      if (n == 0 || secret[length] == '\n')
        break;
      length++;
    }
  secret[length] = '\0';
  close ((int) fd);

  if (length == 0)
    {
      fputs ("mw-askpass: no password was given\n", stderr);
      return 1;
    }

  secret[length] = '\n';
  if (write (STDOUT_FILENO, secret, length + 1) != (ssize_t) (length + 1))
    {
      memset (secret, 0, sizeof secret);
      return 1;
    }
  memset (secret, 0, sizeof secret);

  return 0;
}
