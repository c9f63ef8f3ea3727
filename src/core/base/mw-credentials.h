/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-credentials.h: what libvirt asks for to open a connection (a SASL username and password,
 * a prompt's answer), and who answers it.
 *
 * mw_libvirt_open's auth callback turns libvirt's credentials into an MwCredentialRequest and
 * calls mw_credentials_ask in its worker: the first time the keyring answers when it remembers
 * every field of the URI; otherwise (and whenever libvirt refused the last answers) the
 * process's provider asks a person — the app a dialog on its main thread, the CLI the
 * terminal — and the worker waits. Without a provider the request is refused. Answers are only
 * in memory (wiped when freed) and, when the person ticked "remember", in the keyring, stored
 * once libvirt accepted them. Never logged.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  MW_CREDENTIAL_USERNAME,       /* VIR_CRED_AUTHNAME */
  MW_CREDENTIAL_PASSWORD,       /* VIR_CRED_PASSPHRASE */
  MW_CREDENTIAL_PROMPT,         /* VIR_CRED_ECHOPROMPT: an answer shown as typed */
  MW_CREDENTIAL_SECRET_PROMPT,  /* VIR_CRED_NOECHOPROMPT: an answer hidden as typed */
  MW_CREDENTIAL_REALM,          /* VIR_CRED_REALM */
} MwCredentialKind;

typedef struct
{
  MwCredentialKind kind;
  char *prompt;   /* libvirt's own prompt ("Username", "Password"), never NULL */
  char *value;    /* the answer; libvirt's default until answered; may be NULL */
} MwCredentialField;

typedef struct
{
  char *uri;                  /* the connection, as the app names it */
  GArray *fields;             /* of MwCredentialField */
  char *problem;              /* NULL the first time; why it is asked again otherwise */
  gboolean remember;          /* the provider's answer: keep them in the keyring */
  gboolean from_keyring;      /* answered by the keyring, not a person */
} MwCredentialRequest;

MwCredentialRequest *mw_credential_request_new       (const char          *uri);
void                 mw_credential_request_add       (MwCredentialRequest *request,
                                                      MwCredentialKind     kind,
                                                      const char          *prompt,
                                                      const char          *default_value);
MwCredentialField   *mw_credential_request_get       (MwCredentialRequest *request,
                                                      guint                i);
/* A deep copy, for handing a request to another thread. */
MwCredentialRequest *mw_credential_request_copy      (const MwCredentialRequest *request);
/* Wipes every answer, then frees. */
void                 mw_credential_request_free      (MwCredentialRequest *request);
/* Sets field i's answer to a copy of value, wiping the one it replaces. */
void                 mw_credential_request_set_value (MwCredentialRequest *request,
                                                      guint                i,
                                                      const char          *value);
/* Copies the answers (and remember) of from into request, which asks the same fields. */
void                 mw_credential_request_take_answers (MwCredentialRequest *request,
                                                         MwCredentialRequest *from);

gboolean             mw_credential_kind_is_secret    (MwCredentialKind     kind);

/* Overwrites text with zeros (explicit_bzero: the optimiser keeps it) and frees it. */
void                 mw_credentials_wipe             (char                *text);

/* Asks a person, blocking the calling worker: fills each field's value (and remember), TRUE; or
 * FALSE with error set (G_IO_ERROR_CANCELLED when the person declined, anything else with a
 * sentence saying why nobody could be asked). Any worker thread, never the main thread. */
typedef gboolean (*MwCredentialAskFunc) (MwCredentialRequest  *request,
                                         gpointer              user_data,
                                         GError              **error);

/* Once, before connections open: the process's provider, or NULL for none (refuse). */
void                 mw_credentials_set_provider     (MwCredentialAskFunc  ask,
                                                      gpointer             user_data);

/* Worker. The keyring's remembered answers when use_keyring and it has them all, else the
 * provider's. FALSE with error when nobody answered. */
gboolean             mw_credentials_ask              (MwCredentialRequest  *request,
                                                      gboolean              use_keyring,
                                                      GError              **error);
/* Worker, after libvirt answered: accepted answers the person asked to remember go to the
 * keyring (a failure there is not the connection's: it is only noted in the debug log). */
void                 mw_credentials_settle           (MwCredentialRequest  *request,
                                                      gboolean              accepted);

/* The keyring's name for a kind of answer ("username", "password", "realm", "prompt:TEXT",
 * "secret-prompt:TEXT"). */
char                *mw_credential_field_key         (const MwCredentialField *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwCredentialRequest, mw_credential_request_free)

G_END_DECLS
