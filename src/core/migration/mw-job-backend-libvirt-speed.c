/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-job-backend-libvirt-speed.c: the migration speed a job leaves on its guest.
 *
 * virDomainMigrateSetMaxSpeed during a migration changes QEMU's limit for that run. But a call
 * that reaches libvirt once the migration has ended (an abort, a failure, or the evacuation
 * sharing its cap again as another guest's migration stops) is libvirt's other meaning of the
 * call: the speed of every *later* migration of that guest, by any tool, until its daemon
 * restarts. Measured in the lab: an evacuation with `--bandwidth 2` stopped mid-way left
 * `virsh migrate-getspeed labextra2` at 2, and the next plain `virsh migrate` of that 128 MiB
 * guest took 39 s instead of 4 s.
 *
 * So the job reads the guest's speed before it starts, lets its speed changes through only
 * while it may still migrate, and once the migration call has returned puts the guest's speed
 * back where it found it on the source. Workers only; the lock orders a late change before the
 * put-back, or refuses it after. */

#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-job-backend-libvirt-private.h"
#include "mw-libvirt.h"

void
mw_speed_guard_init (MwSpeedGuard *guard)
{
  g_mutex_init (&guard->lock);
}

void
mw_speed_guard_clear (MwSpeedGuard *guard)
{
  g_mutex_clear (&guard->lock);
}

void
mw_speed_guard_read_before (MwSpeedGuard *guard,
                            virDomainPtr  sdom)
{
  unsigned long mib_s = 0;
  gboolean known = virDomainMigrateGetMaxSpeed (sdom, &mib_s, 0) == 0;

  virResetLastError ();
  g_mutex_lock (&guard->lock);
  /* A restarted attempt of the same job keeps what the guest had before the first one. */
  if (!guard->before_known)
    {
      guard->before_known = known;
      guard->before_mib_s = mib_s;
    }
  guard->ended = FALSE;
  g_mutex_unlock (&guard->lock);
}

gboolean
mw_speed_guard_set (MwSpeedGuard  *guard,
                    virDomainPtr   dom,
                    unsigned long  mib_s,
                    GError       **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&guard->lock);
  if (guard->ended)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The migration has ended: its speed can no longer be changed."));
      ok = FALSE;
    }
  else
    {
      guard->touched = TRUE;
      if (virDomainMigrateSetMaxSpeed (dom, mib_s, 0) < 0)
        {
          mw_libvirt_set_error (error, _("Could not change the bandwidth limit"));
          ok = FALSE;
        }
    }
  g_mutex_unlock (&guard->lock);
  return ok;
}

/* After the migration call: no change gets through any more, and a guest still defined on the
 * source (the migration failed or was stopped, or left its definition there) gets back the
 * speed it had, unless it waits, paused, for a post-copy to be recovered. */
void
mw_speed_guard_end (MwSpeedGuard  *guard,
                    virConnectPtr  sconn,
                    const char    *domain_name)
{
  virDomainPtr dom;
  unsigned long now = 0;
  int state = 0, reason = 0;

  g_mutex_lock (&guard->lock);
  guard->ended = TRUE;
  if (!guard->touched || !guard->before_known || sconn == NULL)
    goto out;
  dom = virDomainLookupByName (sconn, domain_name);
  if (dom == NULL)
    goto out;
  if (virDomainGetState (dom, &state, &reason, 0) == 0
      && !(state == VIR_DOMAIN_PAUSED
           && (reason == VIR_DOMAIN_PAUSED_POSTCOPY || reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED))
      && virDomainMigrateGetMaxSpeed (dom, &now, 0) == 0 && now != guard->before_mib_s)
    {
      if (virDomainMigrateSetMaxSpeed (dom, guard->before_mib_s, 0) == 0)
        g_debug ("%s: migration speed put back from %lu to %lu MiB/s", domain_name, now,
                 guard->before_mib_s);
      else
        g_warning ("%s: could not put the migration speed back to %lu MiB/s: %s", domain_name,
                   guard->before_mib_s, virGetLastErrorMessage ());
    }
  virDomainFree (dom);
out:
  virResetLastError ();
  g_mutex_unlock (&guard->lock);
}
