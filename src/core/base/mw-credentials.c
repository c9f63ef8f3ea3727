/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-credentials.c: libvirt's credential requests, the keyring's answers and the provider's.
 * The provider is set once at start-up; requests are asked and settled in connection workers. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mw-credentials.h"
#include "mw-secrets.h"

/* Set at start-up and shutdown, read by workers: as a pair, under provider_lock. */
static GMutex provider_lock;
static MwCredentialAskFunc provider_ask;
static gpointer provider_data;

void
mw_credentials_wipe (char *text)
{
  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

gboolean
mw_credential_kind_is_secret (MwCredentialKind kind)
{
  return kind == MW_CREDENTIAL_PASSWORD || kind == MW_CREDENTIAL_SECRET_PROMPT;
}

static void
field_clear (gpointer data)
{
  MwCredentialField *field = data;

  g_free (field->prompt);
  mw_credentials_wipe (field->value);
}

MwCredentialRequest *
mw_credential_request_new (const char *uri)
{
  MwCredentialRequest *request = g_new0 (MwCredentialRequest, 1);

  g_return_val_if_fail (uri != NULL, NULL);

  request->uri = g_strdup (uri);
  request->fields = g_array_new (FALSE, TRUE, sizeof (MwCredentialField));
  g_array_set_clear_func (request->fields, field_clear);
  return request;
}

void
mw_credential_request_add (MwCredentialRequest *request,
                           MwCredentialKind     kind,
                           const char          *prompt,
                           const char          *default_value)
{
  MwCredentialField field = { kind, NULL, NULL };

  g_return_if_fail (request != NULL);

  field.prompt = g_strdup (prompt != NULL ? prompt : "");
  field.value = g_strdup (default_value != NULL && *default_value != '\0' ? default_value : NULL);
  g_array_append_val (request->fields, field);
}

MwCredentialField *
mw_credential_request_get (MwCredentialRequest *request,
                           guint                i)
{
  g_return_val_if_fail (request != NULL && i < request->fields->len, NULL);

  return &g_array_index (request->fields, MwCredentialField, i);
}

MwCredentialRequest *
mw_credential_request_copy (const MwCredentialRequest *request)
{
  MwCredentialRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = mw_credential_request_new (request->uri);
  for (guint i = 0; i < request->fields->len; i++)
    {
      MwCredentialField *field = &g_array_index (request->fields, MwCredentialField, i);

      mw_credential_request_add (copy, field->kind, field->prompt, field->value);
    }
  copy->problem = g_strdup (request->problem);
  copy->remember = request->remember;
  copy->from_keyring = request->from_keyring;
  return copy;
}

void
mw_credential_request_free (MwCredentialRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->uri);
  g_array_unref (request->fields);
  g_free (request->problem);
  g_free (request);
}

void
mw_credential_request_set_value (MwCredentialRequest *request,
                                 guint                i,
                                 const char          *value)
{
  MwCredentialField *field = mw_credential_request_get (request, i);

  g_return_if_fail (field != NULL);

  mw_credentials_wipe (field->value);
  field->value = g_strdup (value);
}

void
mw_credential_request_take_answers (MwCredentialRequest *request,
                                    MwCredentialRequest *from)
{
  g_return_if_fail (request != NULL && from != NULL);
  g_return_if_fail (request->fields->len == from->fields->len);

  for (guint i = 0; i < request->fields->len; i++)
    mw_credential_request_set_value (request, i, mw_credential_request_get (from, i)->value);
  request->remember = from->remember;
}

char *
mw_credential_field_key (const MwCredentialField *field)
{
  switch (field->kind)
    {
    case MW_CREDENTIAL_USERNAME:
      return g_strdup ("username");
    case MW_CREDENTIAL_PASSWORD:
      return g_strdup ("password");
    case MW_CREDENTIAL_REALM:
      return g_strdup ("realm");
    case MW_CREDENTIAL_PROMPT:
      return g_strconcat ("prompt:", field->prompt, NULL);
    case MW_CREDENTIAL_SECRET_PROMPT:
    default:
      return g_strconcat ("secret-prompt:", field->prompt, NULL);
    }
}

void
mw_credentials_set_provider (MwCredentialAskFunc ask,
                             gpointer            user_data)
{
  g_mutex_lock (&provider_lock);
  provider_ask = ask;
  provider_data = user_data;
  g_mutex_unlock (&provider_lock);
}

/* TRUE when the keyring remembers every field of request (then filled in). A keyring that
 * cannot be reached remembers nothing. */
static gboolean
ask_keyring (MwCredentialRequest *request)
{
  g_autoptr(MwCredentialRequest) answers = mw_credential_request_copy (request);

  for (guint i = 0; i < answers->fields->len; i++)
    {
      g_autofree char *key = mw_credential_field_key (mw_credential_request_get (answers, i));
      g_autoptr(GError) error = NULL;
      char *value = mw_secrets_lookup_credential (request->uri, key, NULL, &error);

      if (value == NULL)
        {
          if (error != NULL)
            g_debug ("The keyring could not be read: %s", error->message);
          return FALSE;
        }
      mw_credential_request_set_value (answers, i, value);
      mw_secrets_free (value);
    }

  mw_credential_request_take_answers (request, answers);
  request->remember = TRUE;
  request->from_keyring = TRUE;
  return TRUE;
}

gboolean
mw_credentials_ask (MwCredentialRequest  *request,
                    gboolean              use_keyring,
                    GError              **error)
{
  MwCredentialAskFunc ask;
  gpointer ask_data;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  request->from_keyring = FALSE;
  if (use_keyring && request->fields->len > 0 && ask_keyring (request))
    return TRUE;

  g_mutex_lock (&provider_lock);
  ask = provider_ask;
  ask_data = provider_data;
  g_mutex_unlock (&provider_lock);
  if (ask == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The host asks for a username and password, and nobody can be asked "
                     "for them here."));
      return FALSE;
    }
  return ask (request, ask_data, error);
}

void
mw_credentials_settle (MwCredentialRequest *request,
                       gboolean             accepted)
{
  g_return_if_fail (request != NULL);

  if (!accepted || !request->remember || request->from_keyring)
    return;

  for (guint i = 0; i < request->fields->len; i++)
    {
      MwCredentialField *field = mw_credential_request_get (request, i);
      g_autofree char *key = mw_credential_field_key (field);
      g_autoptr(GError) error = NULL;

      if (!mw_secrets_store_credential (request->uri, key, field->value != NULL ? field->value : "",
                                        NULL, &error))
        {
          g_debug ("The keyring did not keep the connection’s credentials: %s", error->message);
          return;
        }
    }
}
