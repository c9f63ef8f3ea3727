/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-verify.c: where the guest is after a migration, asked of both hosts, and what
 * libvirt kept of the finished job. Workers only. */

#include "config.h"

#include <libvirt/virterror.h>

#include "mw-leftover.h"
#include "mw-libvirt.h"
#include "mw-migration-verify.h"

/* Worker. FALSE when the host could not be asked (not for a missing domain). */
static gboolean
look_for_domain (virConnectPtr  conn,
                 const char    *name,
                 gboolean      *exists,
                 gboolean      *active,
                 gboolean      *persistent,
                 virDomainPtr  *dom_out,
                 char         **error_message)
{
  g_autoptr(GError) error = NULL;
  virDomainPtr dom = mw_libvirt_lookup_domain (conn, name, NULL, &error);

  *exists = *active = FALSE;
  if (persistent != NULL)
    *persistent = FALSE;
  if (dom == NULL)
    {
      gboolean missing = g_error_matches (error, MW_LIBVIRT_ERROR, VIR_ERR_NO_DOMAIN);

      if (!missing && error_message != NULL)
        *error_message = g_strdup (error->message);
      return missing;
    }
  *exists = TRUE;
  *active = virDomainIsActive (dom) == 1;
  if (persistent != NULL)
    *persistent = virDomainIsPersistent (dom) == 1;
  virResetLastError ();
  if (dom_out != NULL)
    *dom_out = dom;
  else
    virDomainFree (dom);
  return TRUE;
}

/* Read without removing them: libvirt keeps one finished job's statistics, and `virsh
 * domjobinfo --completed` afterwards must still show the admin (and the lab) the same figures. */
#define COMPLETED_KEPT (VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED)

static gboolean
completed_stats (virDomainPtr  dom,
                 MwJobSample  *sample)
{
  virTypedParameterPtr params = NULL;
  int n_params = 0;
  int type = VIR_DOMAIN_JOB_NONE;
  gboolean ok = FALSE;

  if (virDomainGetJobStats (dom, &type, &params, &n_params, COMPLETED_KEPT) == 0
      && type == VIR_DOMAIN_JOB_COMPLETED)
    {
      mw_job_sample_from_params (sample, type, params, n_params, g_get_monotonic_time ());
      ok = TRUE;
    }
  virTypedParamsFree (params, n_params);
  virResetLastError ();
  return ok;
}


/* Worker. */
static gboolean
postcopy_failed (virDomainPtr dom)
{
  int state = VIR_DOMAIN_NOSTATE;
  int reason = 0;

  if (dom == NULL || virDomainGetState (dom, &state, &reason, 0) < 0)
    {
      virResetLastError ();
      return FALSE;
    }
  return (state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED)
         || (state == VIR_DOMAIN_RUNNING && reason == VIR_DOMAIN_RUNNING_POSTCOPY_FAILED);
}

void
mw_verify_findings_free (MwVerifyFindings *findings)
{
  if (findings == NULL)
    return;
  g_free (findings->dest_check_error);
  g_free (findings);
}

MwVerifyFindings *
mw_migration_verify (virConnectPtr  sconn,
                     virConnectPtr  dconn,
                     const char    *domain_name,
                     gboolean       migration_started,
                     gboolean       call_succeeded)
{
  MwVerifyFindings *result = g_new0 (MwVerifyFindings, 1);
  virDomainPtr ddom = NULL;
  virDomainPtr sdom = NULL;
  gboolean dest_known;

  dest_known = look_for_domain (dconn, domain_name, &result->dest_exists, &result->dest_active,
                                &result->dest_persistent, &ddom, &result->dest_check_error);
  result->dest_unreachable = !dest_known;
  result->src_unreachable = !look_for_domain (sconn, domain_name, &result->src_exists,
                                              &result->src_active, NULL, &sdom, NULL);

  /* After a failed or stopped migration the destination may still hold the paused incoming
   * copy (its daemon died and has not cleaned up yet, or the source's daemon died before it
   * could finish): not a guest that runs there. */
  if (!call_succeeded && ddom != NULL && (result->src_active || result->src_unreachable)
      && mw_leftover_is_unfinished_copy (ddom))
    {
      result->dest_leftover = TRUE;
      result->dest_active = FALSE;
    }

  result->dest_postcopy_failed = postcopy_failed (ddom);
  result->src_postcopy_failed = postcopy_failed (sdom);

  /* libvirt keeps the statistics of the last job that completed: after a call that failed with
   * the guest still on the source, that is an earlier migration's (the one that brought the
   * guest here), not this one's. Seen in the lab: a refused migration showed the previous
   * one's 198 MiB sent, 3 passes and 394 ms of downtime. */
  if (migration_started && (call_succeeded || (result->dest_active && !result->src_active)))
    {
      if (ddom != NULL)
        result->have_completed = completed_stats (ddom, &result->completed);
      if (!result->have_completed && sdom != NULL)
        result->have_completed = completed_stats (sdom, &result->completed);
    }

  if (ddom != NULL)
    virDomainFree (ddom);
  if (sdom != NULL)
    virDomainFree (sdom);
  return result;
}
