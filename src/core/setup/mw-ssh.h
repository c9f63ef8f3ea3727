/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh.h: adding a remote host over SSH with the user's own OpenSSH.
 *
 * Every program (ssh, ssh-keygen, ssh-keyscan, ssh-add) runs from an argument vector through
 * GSubprocess, never through a local shell. The only shell string is the remote command that
 * appends a public key to authorized_keys, built from mw_shell_quote'd, validated words.
 *
 * Blocking steps follow the sync / _async / _finish triple; the sync forms may run on any
 * thread and never touch the main context. Parsing helpers are pure.
 *
 * A password reaches ssh only through the mw-askpass helper: SSH_ASKPASS points at it,
 * SSH_ASKPASS_REQUIRE=force, and the password is written into ssh's stdin pipe, which the
 * helper inherits (MW_ASKPASS_FD=0; ssh closes every other inherited descriptor at start). It is
 * never in argv, the environment, a file or a log line.
 */
#pragma once

#include <gio/gio.h>

#include "mw-uri.h"

G_BEGIN_DECLS

#define MW_SSH_ERROR (mw_ssh_error_quark ())

typedef enum
{
  MW_SSH_ERROR_INVALID,          /* bad input: address, key text */
  MW_SSH_ERROR_FAILED,           /* a program failed; the message says which and why */
  MW_SSH_ERROR_NO_HOST_KEYS,     /* the host answered with no key (or not at all) */
  MW_SSH_ERROR_HOST_KEY_CHANGED, /* known_hosts has another key for this host: a loud stop */
  MW_SSH_ERROR_AUTH,             /* the password or key was refused */
  MW_SSH_ERROR_EXISTS,           /* a key of that name exists already */
} MwSshError;

typedef enum
{
  MW_SSH_HOST_KEY_NEW,        /* not in known_hosts: show the fingerprint, ask */
  MW_SSH_HOST_KEY_KNOWN_SAME, /* known_hosts has one of the keys the host offered */
  MW_SSH_HOST_KEY_CHANGED,    /* known_hosts has keys for the host, none of them offered now */
} MwSshHostKeyState;

/* Where OpenSSH's files are. ssh_dir NULL means ~/.ssh with the user's config, as ssh itself
 * would pick; tests and the lab give a directory of their own, and then known_hosts and the
 * identity are named on the command line (config_file, when set, is passed with -F). */
typedef struct
{
  char *ssh_dir;
  char *config_file;
  char *askpass;    /* the helper; NULL: $MW_ASKPASS, else LIBEXECDIR/mw-askpass */
} MwSshContext;

/* user@host[:port]; IPv6 literals in brackets ([fe80::1]:2222). */
typedef struct
{
  char *user;       /* NULL: ssh's default (config or local user name) */
  char *host;       /* normalised by mw-uri: ASCII, no brackets */
  guint port;       /* 0: 22 */
} MwSshTarget;

typedef struct
{
  char *type;        /* "ED25519", "ECDSA", "RSA" as ssh-keygen -l names them */
  guint bits;
  char *fingerprint; /* "SHA256:…" */
  char *key_type;    /* "ssh-ed25519", … (the known_hosts word) */
  char *key_blob;    /* base64 */
} MwSshHostKey;

typedef struct
{
  MwSshHostKeyState state;
  GPtrArray *keys;       /* MwSshHostKey, best first (ED25519, ECDSA, RSA) */
  MwSshHostKey *known;   /* KNOWN_SAME: the matching key (borrowed from keys) */
} MwSshHostKeyCheck;

typedef struct
{
  char *hostname;
  char *hypervisor;      /* virConnectGetType: "QEMU" */
  gulong lib_version;    /* major * 1000000 + minor * 1000 + release */
  gulong hv_version;
} MwSshLibvirtInfo;

#define MW_TYPE_SSH_CONTEXT (mw_ssh_context_get_type ())
#define MW_TYPE_SSH_TARGET (mw_ssh_target_get_type ())
#define MW_TYPE_SSH_HOST_KEY (mw_ssh_host_key_get_type ())

GQuark             mw_ssh_error_quark            (void);
GType              mw_ssh_context_get_type       (void) G_GNUC_CONST;
GType              mw_ssh_target_get_type        (void) G_GNUC_CONST;
GType              mw_ssh_host_key_get_type      (void) G_GNUC_CONST;

MwSshContext      *mw_ssh_context_new            (const char        *ssh_dir);
MwSshContext      *mw_ssh_context_copy           (const MwSshContext *self);
void               mw_ssh_context_free           (MwSshContext      *self);
/* The .ssh directory in use (ssh_dir or ~/.ssh). */
char              *mw_ssh_context_get_dir        (const MwSshContext *self);

MwSshTarget       *mw_ssh_target_parse           (const char        *text,
                                                  GError           **error);
/* The login an ssh to uri's host uses: the URI's user (NULL: ssh's default) and host, and its
 * port for qemu+ssh (another transport's port is not ssh's). Every ssh MigWizard runs for a
 * connection's host starts here, so it reaches the host libvirt's own ssh reaches. NULL with an
 * error for a URI that does not parse or names no host. */
MwSshTarget       *mw_ssh_target_new_for_uri     (const char        *uri,
                                                  GError           **error);
MwSshTarget       *mw_ssh_target_copy            (const MwSshTarget *self);
void               mw_ssh_target_free            (MwSshTarget       *self);
/* "host" for port 22, "[host]:port" otherwise: the name known_hosts files use. */
char              *mw_ssh_target_get_known_name  (const MwSshTarget *self);
/* "user@host:port" for people, IPv6 in brackets. */
char              *mw_ssh_target_to_string       (const MwSshTarget *self);
/* The libvirt URI: qemu+ssh://user@host:port/system (or /session). */
char              *mw_ssh_target_to_uri          (const MwSshTarget *self,
                                                  MwHypervisor       hypervisor,
                                                  MwTransport        transport,
                                                  GError           **error);

/* One translated sentence, the same wherever a new host key is asked about: compare this key's
 * fingerprint with what `ssh-keygen -l -f /etc/ssh/ssh_host_TYPE_key.pub` shows on the host
 * (TYPE of this key), and what a difference means. */
char              *mw_ssh_host_key_compare_advice (const MwSshHostKey *self);
MwSshHostKey      *mw_ssh_host_key_copy          (const MwSshHostKey *self);
void               mw_ssh_host_key_free          (MwSshHostKey      *self);
/* Parses one line of `ssh-keygen -l -E sha256` output: "256 SHA256:… comment (ED25519)". */
gboolean           mw_ssh_parse_fingerprint      (const char        *line,
                                                  guint             *bits,
                                                  char             **fingerprint,
                                                  char             **type,
                                                  GError           **error);
/* Parses one line of `ssh-keyscan` output, "host type base64": a known key type whose blob
 * really is a key of that type. Anything else (a banner, garbage) is MW_SSH_ERROR_INVALID. */
gboolean           mw_ssh_parse_keyscan_line     (const char        *line,
                                                  char             **key_type,
                                                  char             **key_blob,
                                                  GError           **error);
/* A single-line OpenSSH public key "type base64 [comment]" with a known type and no control
 * or quote characters; the normalised "type base64 comment" is returned in normalized. */
gboolean           mw_ssh_validate_public_key    (const char        *line,
                                                  char             **normalized,
                                                  GError           **error);
/* The remote shell command that appends public_key to ~/.ssh/authorized_keys exactly once. */
char              *mw_ssh_build_append_key_command (const char      *public_key,
                                                    GError         **error);
void               mw_ssh_host_key_check_free    (MwSshHostKeyCheck *self);
void               mw_ssh_libvirt_info_free      (MwSshLibvirtInfo  *self);
/* "9.0.0" from libvirt's packed version number. */
char              *mw_ssh_format_version         (gulong             version);

/* ssh-keyscan the host, fingerprint every key, compare with known_hosts. CHANGED is an error
 * (MW_SSH_ERROR_HOST_KEY_CHANGED) naming the old and new fingerprints and the line to remove. */
MwSshHostKeyCheck *mw_ssh_check_host_key         (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_check_host_key_async   (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
MwSshHostKeyCheck *mw_ssh_check_host_key_finish  (GAsyncResult       *result,
                                                  GError            **error);

/* The second half of the check, for keys already in hand (keys: MwSshHostKey, best first). */
MwSshHostKeyCheck *mw_ssh_compare_known_hosts    (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  GPtrArray          *keys,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
/* A key with its fingerprint from a known_hosts, keyscan or .pub line. */
MwSshHostKey      *mw_ssh_host_key_new_from_line (const char         *line,
                                                  GCancellable       *cancellable,
                                                  GError            **error);

/* Appends the confirmed key to known_hosts (created 0600 in a 0700 directory); does nothing
 * when the same line is there already. */
gboolean           mw_ssh_accept_host_key        (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  const MwSshHostKey *key,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_accept_host_key_async  (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  const MwSshHostKey *key,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean           mw_ssh_accept_host_key_finish (GAsyncResult       *result,
                                                  GError            **error);

/* The public key file of the user's first key (ed25519, ecdsa, rsa), or NULL. */
char              *mw_ssh_find_public_key        (const MwSshContext *context);
/* ssh-keygen -t ed25519 into <dir>/id_ed25519, refused (MW_SSH_ERROR_EXISTS) when it exists.
 * passphrase may be NULL or ""; one is given to ssh-keygen's prompts through mw-askpass, as a
 * password is to ssh, never on its command line. With an agent (SSH_AUTH_SOCK) the new key is
 * added to it. Returns the public key file. */
char              *mw_ssh_generate_key           (const MwSshContext *context,
                                                  const char         *comment,
                                                  const char         *passphrase,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_generate_key_async     (const MwSshContext *context,
                                                  const char         *comment,
                                                  const char         *passphrase,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
char              *mw_ssh_generate_key_finish    (GAsyncResult       *result,
                                                  GError            **error);

/* Logs in with the password (asked once by the caller) and appends the public key. */
gboolean           mw_ssh_copy_key               (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  const char         *public_key_file,
                                                  const char         *password,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_copy_key_async         (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  const char         *public_key_file,
                                                  const char         *password,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean           mw_ssh_copy_key_finish        (GAsyncResult       *result,
                                                  GError            **error);

/* ssh -o BatchMode=yes … true */
gboolean           mw_ssh_test_login             (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_test_login_async       (const MwSshContext *context,
                                                  const MwSshTarget  *target,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean           mw_ssh_test_login_finish      (GAsyncResult       *result,
                                                  GError            **error);

/* Opens uri (no_tty=1 added for ssh) and reads the host name and versions. */
MwSshLibvirtInfo  *mw_ssh_test_libvirt           (const char         *uri,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_test_libvirt_async     (const char         *uri,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
MwSshLibvirtInfo  *mw_ssh_test_libvirt_finish    (GAsyncResult       *result,
                                                  GError            **error);

/* Peer-to-peer migration: the source's libvirtd reaches the destination with root's ssh
 * identity. Runs `ssh -o BatchMode=yes root@DEST true` on the source, as root. Returns TRUE
 * when that works; FALSE with explanation set to what is missing and how to fix it. */
gboolean           mw_ssh_check_p2p              (const MwSshContext *context,
                                                  const MwSshTarget  *source,
                                                  const char         *dest_host,
                                                  char              **explanation,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_check_p2p_async        (const MwSshContext *context,
                                                  const MwSshTarget  *source,
                                                  const char         *dest_host,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
/* TRUE when the path works; explanation (may be NULL) gets the sentence either way, unless
 * the check itself could not run (FALSE with error set). */
gboolean           mw_ssh_check_p2p_finish       (GAsyncResult       *result,
                                                  char              **explanation,
                                                  GError            **error);
/* The remote command for the fix's first half, run on the source as root: make root's key
 * when it has none, pin the destination's confirmed host key line, print root's public key. */
char              *mw_ssh_build_p2p_setup_command (const char        *dest_host,
                                                   const MwSshHostKey *dest_key,
                                                   GError           **error);
/* The whole fix: the command above on the source, then the printed key authorised for root on
 * the destination (over ssh as root, with the user's key or the password). */
gboolean           mw_ssh_setup_p2p              (const MwSshContext *context,
                                                  const MwSshTarget  *source,
                                                  const MwSshTarget  *dest,
                                                  const MwSshHostKey *dest_key,
                                                  const char         *dest_password,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void               mw_ssh_setup_p2p_async        (const MwSshContext *context,
                                                  const MwSshTarget  *source,
                                                  const MwSshTarget  *dest,
                                                  const MwSshHostKey *dest_key,
                                                  const char         *dest_password,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean           mw_ssh_setup_p2p_finish       (GAsyncResult       *result,
                                                  GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSshContext, mw_ssh_context_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSshTarget, mw_ssh_target_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSshHostKey, mw_ssh_host_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSshHostKeyCheck, mw_ssh_host_key_check_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwSshLibvirtInfo, mw_ssh_libvirt_info_free)

/* The one ssh command line; every module's ssh goes through it. $MW_SSH (the tests' stand-in) or
 * ssh; the context's config file, known hosts and key when context is given (else the user's
 * own); StrictHostKeyChecking=yes (an unknown or changed key is refused, never accepted); a
 * connect timeout; the target's port and user; BatchMode=yes and no tty; extra_options (each
 * one argument, e.g. "-oLogLevel=ERROR"); then "--", the host and remote_command, one argument
 * for the remote shell (build it with mw_shell_join / mw_shell_quote). */
GStrv mw_ssh_build_argv (const MwSshContext *context,
                         const MwSshTarget  *target,
                         const char * const *extra_options,
                         const char         *remote_command);
/* The same line for a command (argv) run on the host of a libvirt URI reached over ssh
 * (qemu+ssh://user@host:port/system): the URI's user, host and port, the user's own ssh files,
 * and command quoted for the remote shell by mw_shell_join. NULL when uri is not an ssh URI
 * that names a host: the caller runs command here, or not at all. Every probe that runs a
 * command on a host of the migration builds its ssh with this. */
GStrv mw_ssh_build_uri_argv (const char         *uri,
                             const char * const *command);

G_END_DECLS
