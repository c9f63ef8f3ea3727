/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-private.h: what the pieces of mw-ssh share: running OpenSSH's programs
 * (mw-ssh-command.c) and telling a public key's type (mw-ssh-keys.c). The public API is
 * mw-ssh.h; its values are in mw-ssh.c, the rest in mw-ssh-hostkey.c, mw-ssh-keys.c,
 * mw-ssh-login.c, mw-ssh-p2p.c and mw-ssh-async.c. */
#pragma once

#include "mw-ssh.h"

G_BEGIN_DECLS

/* ssh's ConnectTimeout, for our ssh and for the one p2p runs on the source. */
#define MW_SSH_CONNECT_TIMEOUT_S "10"

/* What a program printed and how it ended. */
typedef struct
{
  char *out;        /* stdout */
  char *err;        /* stderr, trimmed */
  int status;       /* the exit status; -1 when killed */
} MwSshOutput;

void         mw_ssh_output_clear   (MwSshOutput         *output);

/* Runs argv through the one runner (mw-process.h: no terminal, LC_ALL=C, its own process group
 * killed on cancel, a time limit); env adds NAME, VALUE pairs (may be NULL). stdin_text may hold a
 * secret: the caller wipes it. FALSE when the program could not run or was cancelled; output
 * (may be NULL) is filled when it ran. */
gboolean     mw_ssh_run            (const char * const  *argv,
                                    const char * const  *env,
                                    const char          *stdin_text,
                                    MwSshOutput         *output,
                                    GCancellable        *cancellable,
                                    GError             **error);
/* ssh as mw_ssh_build_argv makes it (BatchMode), remote_command on target, with empty stdin. */
gboolean     mw_ssh_run_batch      (const MwSshContext  *context,
                                    const MwSshTarget   *target,
                                    const char          *remote_command,
                                    MwSshOutput         *output,
                                    GCancellable        *cancellable,
                                    GError             **error);
/* The start of every ssh command line: the program, the context's files, pinned host keys, a
 * connect timeout, the target's port and user. */
void         mw_ssh_add_options    (GPtrArray           *argv,
                                    const MwSshContext  *context,
                                    const MwSshTarget   *target);
/* The environment (NAME, VALUE pairs) that makes ssh and ssh-add ask mw-askpass, which reads
 * the secret from their stdin. */
GStrv        mw_ssh_askpass_env    (const MwSshContext  *context);
/* Sets error from a failed ssh: a changed host key, a refused login, or else the exit status;
 * what names the action. Returns FALSE. */
gboolean     mw_ssh_set_failed     (const char          *what,
                                    int                  status,
                                    const char          *err,
                                    GError             **error);
/* The first line of text, valid until the calling thread's next call. */
const char  *mw_ssh_first_line     (const char          *text);
/* Overwrites a secret in place (the optimiser keeps this one). */
void         mw_ssh_wipe           (char                *secret);

/* Creates dir (0700) with its parents when missing. */
gboolean     mw_ssh_make_dir       (const char          *dir,
                                    GError             **error);

/* Whether word is a public key type MigWizard accepts ("ssh-ed25519", …). */
gboolean     mw_ssh_is_key_type    (const char          *word);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MwSshOutput, mw_ssh_output_clear)

/* Tests: what mw_ssh_setup_p2p does instead of its own work (NULL: its own work). The hook runs
 * in the caller's thread with the caller's arguments, so a test can see what a worker was given
 * and hold the worker there. */
typedef gboolean (*MwSshSetupP2pHook) (const MwSshContext *context,
                                       const MwSshTarget  *source,
                                       const MwSshTarget  *dest,
                                       const MwSshHostKey *dest_key,
                                       const char         *dest_password,
                                       GCancellable       *cancellable,
                                       GError            **error);
void         mw_ssh_set_setup_p2p_hook (MwSshSetupP2pHook hook);

G_END_DECLS
