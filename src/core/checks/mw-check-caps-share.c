/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-caps-share.c: the pair's capabilities, read once per pre-flight run.
 *
 * The zero-copy and post-copy checks judge the same MwMigrationCaps, and reading them opens
 * both hosts and runs the probes over ssh (the post-copy probe on both, the memlock probe on
 * the source). The checks run in workers of their own, at the same time: the first to ask reads
 * the caps while holding the lock, the others wait for it and get the same answer, an error
 * included. Any thread. */

#include "config.h"

#include "mw-check-rules.h"

struct _MwCheckCapsShare
{
  GMutex lock;
  gboolean read;             /* under lock: caps or error is the answer */
  MwMigrationCaps *caps;
  GError *error;
};

MwCheckCapsShare *
mw_check_caps_share_new (void)
{
  MwCheckCapsShare *share = g_atomic_rc_box_new0 (MwCheckCapsShare);

  g_mutex_init (&share->lock);
  return share;
}

MwCheckCapsShare *
mw_check_caps_share_ref (MwCheckCapsShare *share)
{
  g_return_val_if_fail (share != NULL, NULL);

  return g_atomic_rc_box_acquire (share);
}

static void
caps_share_clear (gpointer data)
{
  MwCheckCapsShare *share = data;

  g_mutex_clear (&share->lock);
  g_clear_pointer (&share->caps, mw_migration_caps_free);
  g_clear_error (&share->error);
}

void
mw_check_caps_share_unref (MwCheckCapsShare *share)
{
  if (share != NULL)
    g_atomic_rc_box_release_full (share, caps_share_clear);
}

const MwMigrationCaps *
mw_check_caps_share_get (MwCheckCapsShare   *share,
                         const MwCheckFacts *facts,
                         GCancellable       *cancellable,
                         GError            **error)
{
  const MwMigrationCaps *caps;

  g_return_val_if_fail (share != NULL, NULL);
  g_return_val_if_fail (facts != NULL, NULL);

  g_mutex_lock (&share->lock);
  if (!share->read)
    {
      share->caps = mw_migration_caps_read (facts->source_uri, facts->dest_uri,
                                            facts->domain_name, cancellable, &share->error);
      share->read = TRUE;
    }
  caps = share->caps;
  if (caps == NULL)
    g_propagate_error (error, g_error_copy (share->error));
  g_mutex_unlock (&share->lock);
  return caps;
}
