/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-zerocopy.c: can zero-copy work for this guest on this pair? The decision is
 * MwMigrationCaps's (versions, and whether the source's QEMU may lock the memory it sends), so
 * the wizard's greyed switch, the CLI's refusal and this check say the same sentence. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-migration-caps.h"

/* One line of figures: what is needed, what QEMU may lock, whether the daemon can raise it. */
static char *
memlock_detail (const MwMigrationCaps *caps)
{
  g_autofree char *need = mw_format_bytes (mw_migration_caps_memlock_needed (caps));
  g_autofree char *have = NULL;

  if (caps->memlock_raise == MW_MEMLOCK_UNKNOWN)
    /* Translators: %s is an amount ("256 MiB"), then a host name. */
    return g_strdup_printf (_("Zero-copy locks up to %s (the guest’s <hard_limit>, else its "
                              "memory); what %s allows could not be read."), need,
                            caps->source.name);
  have = caps->memlock_bytes == G_MAXUINT64 ? g_strdup (_("unlimited"))
         : caps->memlock_bytes == 0 ? g_strdup (_("not known"))
         : mw_format_bytes (caps->memlock_bytes);
  if (caps->memlock_raise == MW_MEMLOCK_CAN_RAISE)
    /* Translators: "Zero-copy locks up to 256 MiB (the guest’s <hard_limit>, else its memory);
     * its QEMU may lock 8 MiB now, and libvirtd on hosta can raise that." */
    return g_strdup_printf (_("Zero-copy locks up to %s (the guest’s <hard_limit>, else its "
                              "memory); its QEMU may lock %s now, and %s on %s can raise "
                              "that."), need, have,
                            caps->memlock_daemon != NULL ? caps->memlock_daemon : "libvirt",
                            caps->source.name);
  /* Translators: "Zero-copy locks up to 256 MiB (the guest’s <hard_limit>, else its memory);
   * its QEMU may lock 8 MiB now, and libvirtd on hosta cannot raise that." */
  return g_strdup_printf (_("Zero-copy locks up to %s (the guest’s <hard_limit>, else its "
                            "memory); its QEMU may lock %s now, and %s on %s cannot raise "
                            "that."), need, have,
                          caps->memlock_daemon != NULL ? caps->memlock_daemon : "libvirt",
                          caps->source.name);
}

void
mw_check_eval_zerocopy (const MwCheckFacts    *facts,
                        const MwMigrationCaps *caps,
                        MwCheckResult         *result)
{
  g_autofree char *why = mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_ZEROCOPY);
  g_autofree char *detail = memlock_detail (caps);
  g_autofree char *fix = NULL;
  g_autofree char *off = NULL;
  gboolean chosen = facts->options != NULL && facts->options->zerocopy;

  if (why == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           caps->memlock_raise == MW_MEMLOCK_UNKNOWN
                             ? _("Nothing rules zero-copy out on this pair; libvirt has the last "
                                 "word on locked memory.")
                             : _("Zero-copy can work for this guest on this pair."),
                           detail, NULL, NULL);
      return;
    }

  fix = mw_migration_caps_memlock_fix (caps);
  if (fix == NULL)
    fix = g_strdup (_("Update libvirt and QEMU on both hosts, or migrate without zero-copy."));
  /* Translators: then the reason, a whole sentence ("Needs the guest’s QEMU on hosta…"). */
  off = g_strdup_printf (_("Zero-copy is off, and could not be "
                          "turned on here. %s"), why);
  mw_check_result_set_unavailable (result, chosen, why, off, detail, fix);
}

/* An option this pair cannot do: BLOCKING with WHY when the options ask for it, else PASSED
 * with OFF (the reason said as "it is off, and could not be turned on"); FIX either way. */
void
mw_check_result_set_unavailable (MwCheckResult *result,
                                 gboolean       chosen,
                                 const char    *why,
                                 const char    *off,
                                 const char    *detail,
                                 const char    *fix)
{
  mw_check_result_set (result, chosen ? MW_CHECK_STATE_BLOCKING : MW_CHECK_STATE_PASSED,
                       chosen ? why : off, detail, fix, NULL);
}

/* The checks judged from the pair's capabilities (zero-copy, post-copy): get them, read once
 * for the whole run (a context of its own reads them here), then let EVAL decide; a pair that
 * cannot be read is an error of the check, not a verdict. */
void
mw_check_run_on_caps (const MwCheckContext *context,
                      MwCheckResult        *result,
                      GCancellable         *cancellable,
                      MwCheckCapsEval       eval)
{
  const MwCheckFacts *facts = context->facts;
  g_autoptr(MwCheckCapsShare) own = NULL;
  MwCheckCapsShare *share = context->caps;
  const MwMigrationCaps *caps;
  g_autoptr(GError) error = NULL;

  if (share == NULL)
    share = own = mw_check_caps_share_new ();
  caps = mw_check_caps_share_get (share, facts, cancellable, &error);
  if (caps == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_ERROR,
                           _("The hosts’ versions and the guest’s memory could not be read."),
                           error->message, NULL, NULL);
      return;
    }
  eval (facts, caps, result);
}

void
mw_check_run_zerocopy (const MwCheckContext *context,
                       MwCheckResult        *result,
                       GCancellable         *cancellable)
{
  mw_check_run_on_caps (context, result, cancellable, mw_check_eval_zerocopy);
}
