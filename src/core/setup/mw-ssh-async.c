/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-async.c: the `_async` / `_finish` halves of mw-ssh's blocking calls.
 *
 * Each `_async` copies its input (context, target, key, texts, a secret) into an Op, the task's
 * data, and runs the sync call on it in a worker (mw-setup-task.h); the worker touches nothing
 * else. The secret is wiped when the task goes. */
#include "config.h"

#include "mw-setup-task.h"
#include "mw-ssh-private.h"

typedef enum
{
  OP_CHECK_HOST_KEY,
  OP_ACCEPT_HOST_KEY,
  OP_GENERATE_KEY,
  OP_COPY_KEY,
  OP_TEST_LOGIN,
  OP_TEST_LIBVIRT,
  OP_CHECK_P2P,
  OP_SETUP_P2P,
} OpKind;

typedef struct
{
  OpKind kind;
  MwSshContext *context;
  MwSshTarget *target;
  MwSshTarget *dest;   /* peer-to-peer set-up: the destination */
  MwSshHostKey *key;
  char *text;      /* uri, comment, public key file, destination host */
  char *secret;    /* password or passphrase, wiped when freed */
} Op;

typedef struct
{
  gboolean works;
  char *explanation;
} P2pResult;

static void
op_free (gpointer data)
{
  Op *op = data;

  mw_ssh_context_free (op->context);
  mw_ssh_target_free (op->target);
  mw_ssh_target_free (op->dest);
  mw_ssh_host_key_free (op->key);
  g_free (op->text);
  mw_ssh_wipe (op->secret);
  g_free (op->secret);
  g_free (op);
}

static void
p2p_result_free (gpointer data)
{
  P2pResult *result = data;

  g_free (result->explanation);
  g_free (result);
}

static gboolean
check_p2p (Op            *op,
           gpointer      *result,
           GCancellable  *cancellable,
           GError       **error)
{
  P2pResult *p2p = g_new0 (P2pResult, 1);
  g_autoptr(GError) local_error = NULL;

  /* Not working is an answer (with its explanation); only a check that could not run fails. */
  p2p->works = mw_ssh_check_p2p (op->context, op->target, op->text, &p2p->explanation,
                                 cancellable, &local_error);
  if (local_error != NULL)
    {
      p2p_result_free (p2p);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *result = p2p;
  return TRUE;
}

static gboolean
op_call (gpointer       data,
         gpointer      *result,
         GCancellable  *cancellable,
         GError       **error)
{
  Op *op = data;

  switch (op->kind)
    {
    case OP_CHECK_HOST_KEY:
      *result = mw_ssh_check_host_key (op->context, op->target, cancellable, error);
      break;
    case OP_ACCEPT_HOST_KEY:
      return mw_ssh_accept_host_key (op->context, op->target, op->key, cancellable, error);
    case OP_GENERATE_KEY:
      *result = mw_ssh_generate_key (op->context, op->text, op->secret, cancellable, error);
      break;
    case OP_COPY_KEY:
      return mw_ssh_copy_key (op->context, op->target, op->text, op->secret, cancellable, error);
    case OP_TEST_LOGIN:
      return mw_ssh_test_login (op->context, op->target, cancellable, error);
    case OP_TEST_LIBVIRT:
      *result = mw_ssh_test_libvirt (op->text, cancellable, error);
      break;
    case OP_CHECK_P2P:
      return check_p2p (op, result, cancellable, error);
    case OP_SETUP_P2P:
      return mw_ssh_setup_p2p (op->context, op->target, op->dest, op->key, op->secret,
                               cancellable, error);
    default:
      g_assert_not_reached ();
    }
  return *result != NULL;
}

/* Copies the input into a new Op. */
static Op *
op_new (OpKind              kind,
        const MwSshContext *context,
        const MwSshTarget  *target,
        const char         *text,
        const char         *secret,
        const MwSshHostKey *key)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->context = mw_ssh_context_copy (context);
  op->target = target != NULL ? mw_ssh_target_copy (target) : NULL;
  op->key = key != NULL ? mw_ssh_host_key_copy (key) : NULL;
  op->text = g_strdup (text);
  op->secret = g_strdup (secret);
  return op;
}

/* Runs op, which the task owns from here; the task returns a result freed with result_free
 * (NULL: a TRUE or an error). */
static void
op_start (Op                  *op,
          gpointer             source_tag,
          GDestroyNotify       result_free,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = mw_setup_task_new (source_tag, op, op_free, cancellable, callback,
                                             user_data);

  mw_setup_task_run (task, op_call, result_free);
}

static void
op_run (OpKind               kind,
        gpointer             source_tag,
        GDestroyNotify       result_free,
        const MwSshContext  *context,
        const MwSshTarget   *target,
        const char          *text,
        const char          *secret,
        const MwSshHostKey  *key,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  op_start (op_new (kind, context, target, text, secret, key), source_tag, result_free,
            cancellable, callback, user_data);
}

void
mw_ssh_check_host_key_async (const MwSshContext  *context,
                             const MwSshTarget   *target,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (target != NULL);

  op_run (OP_CHECK_HOST_KEY, mw_ssh_check_host_key_async,
          (GDestroyNotify) mw_ssh_host_key_check_free, context, target, NULL, NULL, NULL,
          cancellable, callback, user_data);
}

MwSshHostKeyCheck *
mw_ssh_check_host_key_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_check_host_key_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_ssh_accept_host_key_async (const MwSshContext  *context,
                              const MwSshTarget   *target,
                              const MwSshHostKey  *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (target != NULL && key != NULL);

  op_run (OP_ACCEPT_HOST_KEY, mw_ssh_accept_host_key_async, NULL, context, target, NULL, NULL,
          key, cancellable, callback, user_data);
}

gboolean
mw_ssh_accept_host_key_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_accept_host_key_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_ssh_generate_key_async (const MwSshContext  *context,
                           const char          *comment,
                           const char          *passphrase,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  op_run (OP_GENERATE_KEY, mw_ssh_generate_key_async, g_free, context, NULL, comment, passphrase,
          NULL, cancellable, callback, user_data);
}

char *
mw_ssh_generate_key_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_generate_key_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_ssh_copy_key_async (const MwSshContext  *context,
                       const MwSshTarget   *target,
                       const char          *public_key_file,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (target != NULL && public_key_file != NULL && password != NULL);

  op_run (OP_COPY_KEY, mw_ssh_copy_key_async, NULL, context, target, public_key_file, password,
          NULL, cancellable, callback, user_data);
}

gboolean
mw_ssh_copy_key_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_copy_key_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_ssh_test_login_async (const MwSshContext  *context,
                         const MwSshTarget   *target,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (target != NULL);

  op_run (OP_TEST_LOGIN, mw_ssh_test_login_async, NULL, context, target, NULL, NULL, NULL,
          cancellable, callback, user_data);
}

gboolean
mw_ssh_test_login_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_test_login_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mw_ssh_test_libvirt_async (const char          *uri,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (uri != NULL);

  op_run (OP_TEST_LIBVIRT, mw_ssh_test_libvirt_async, (GDestroyNotify) mw_ssh_libvirt_info_free,
          NULL, NULL, uri, NULL, NULL, cancellable, callback, user_data);
}

MwSshLibvirtInfo *
mw_ssh_test_libvirt_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_test_libvirt_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mw_ssh_check_p2p_async (const MwSshContext  *context,
                        const MwSshTarget   *source,
                        const char          *dest_host,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (source != NULL && dest_host != NULL);

  op_run (OP_CHECK_P2P, mw_ssh_check_p2p_async, p2p_result_free, context, source, dest_host,
          NULL, NULL, cancellable, callback, user_data);
}

gboolean
mw_ssh_check_p2p_finish (GAsyncResult  *result,
                         char         **explanation,
                         GError       **error)
{
  P2pResult *p2p;
  gboolean works;

  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_check_p2p_async), FALSE);

  p2p = g_task_propagate_pointer (G_TASK (result), error);
  if (p2p == NULL)
    return FALSE;
  works = p2p->works;
  if (explanation != NULL)
    *explanation = g_steal_pointer (&p2p->explanation);
  p2p_result_free (p2p);
  return works;
}

void
mw_ssh_setup_p2p_async (const MwSshContext  *context,
                        const MwSshTarget   *source,
                        const MwSshTarget   *dest,
                        const MwSshHostKey  *dest_key,
                        const char          *dest_password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Op *op;

  g_return_if_fail (source != NULL && dest != NULL && dest_key != NULL);

  op = op_new (OP_SETUP_P2P, context, source, NULL, dest_password, dest_key);
  op->dest = mw_ssh_target_copy (dest);
  op_start (op, mw_ssh_setup_p2p_async, NULL, cancellable, callback, user_data);
}

gboolean
mw_ssh_setup_p2p_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (mw_setup_task_is (result, mw_ssh_setup_p2p_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
