/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-setup-host.h: reaching a host that a set-up changes, through libvirt or over ssh.
 *
 * A host is named in messages by a short label, and every failure reads "label: step: cause"
 * (mw_setup_set_error). A remote command is one shell string, built by the caller with
 * mw_shell_quote / mw_shell_join, and is the last argument of the one ssh command line
 * (mw_ssh_build_argv: BatchMode, pinned host keys, the target's port), run by the one process
 * runner (mw_process_run). On the host it runs as `setsid -w sh -c COMMAND mw-step-TOKEN`, the
 * leader of its own session and process group: a cancel or a timeout kills ssh here, then that
 * group over a second ssh, and waits until both are gone, so a step is never reported over (or
 * undone) while any of it still runs. A command that leaves something running on purpose (the
 * bridge's watcher) starts it with setsid, out of that group.
 *
 * Blocking calls: worker threads only.
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "mw-setup-journal.h"
#include "mw-ssh.h"

G_BEGIN_DECLS

/* A short label for a URI in messages: its host, or the demo/test node's name. */
char          *mw_setup_host_label    (const char     *uri);
/* "user@host" as ssh takes it; user NULL means root. */
char          *mw_setup_ssh_login     (const char     *user,
                                       const char     *host);
/* A name a set-up gives to something on a host (a bridge, a pool): letters, digits, "_", "."
 * and "-", not empty and not starting with "-". */
gboolean       mw_setup_is_plain_name (const char     *name);
/* Opens uri for a worker; on failure the error reads "label: connect: cause". */
virConnectPtr  mw_setup_host_connect  (const char     *uri,
                                       const char     *label,
                                       GError        **error);

/* Runs remote_command on target ("user@host[:port]" or "host"). On a non-zero exit the error
 * (MW_SETUP_ERROR_FAILED) carries the command's stderr, or else its stdout, trimmed; a command
 * that runs longer than a set-up step may (15 min) is stopped (MW_SETUP_ERROR_TIMED_OUT), a
 * cancelled one returns G_IO_ERROR_CANCELLED once stopped; when it cannot be stopped on the host
 * the error is MW_SETUP_ERROR_FAILED and says so. $MW_SSH replaces "ssh" (tests). stdout_text
 * may be NULL. */
gboolean       mw_setup_ssh_run       (const char     *target,
                                       const char     *remote_command,
                                       GCancellable   *cancellable,
                                       char          **stdout_text,
                                       GError        **error);
/* The same, as one step of a set-up: a failure reads "target: step: cause". */
gboolean       mw_setup_ssh_step      (const char     *target,
                                       const char     *step,
                                       const char     *remote_command,
                                       GCancellable   *cancellable,
                                       char          **stdout_text,
                                       GError        **error);

/* The first time a set-up reaches a host over ssh, its host key must be confirmed by a person:
 * what to do with the result of mw_ssh_check_host_key, given the fingerprint the user accepted
 * beforehand ("SHA256:…", as the CLI's --accept-host-key; NULL when there is none). */
typedef enum
{
  MW_SETUP_HOST_KEY_TRUSTED,   /* known_hosts has one of the host's keys: go on */
  MW_SETUP_HOST_KEY_ACCEPTED,  /* new, and the accepted fingerprint is one of its keys: pin
                                * that key (mw_ssh_accept_host_key), go on */
  MW_SETUP_HOST_KEY_ASK,       /* new, nothing accepted: show the fingerprint, ask */
  MW_SETUP_HOST_KEY_MISMATCH,  /* new, and the accepted fingerprint is none of its keys: stop */
} MwSetupHostKeyDecision;

/* Pure. key (may be NULL) gets the key to pin (ACCEPTED) or to show (ASK, MISMATCH: the best
 * one), borrowed from check; NULL for TRUSTED. */
MwSetupHostKeyDecision mw_setup_host_key_decide (const MwSshHostKeyCheck  *check,
                                                 const char               *accepted,
                                                 const MwSshHostKey      **key);

G_END_DECLS
