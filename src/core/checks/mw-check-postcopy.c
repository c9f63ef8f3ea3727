/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-postcopy.c: can post-copy work for this guest on this pair? The decision is
 * MwMigrationCaps's (versions, and whether the destination's QEMU may open a userfaultfd:
 * mw-migration-caps-postcopy.c), so the wizard's greyed switch, the policy, the CLI's refusal
 * and this check say the same sentence. */

#include "config.h"

#include <glib/gi18n.h>

#include "mw-check-rules.h"
#include "mw-migration-caps.h"

/* What the probe found on each host, one line each; NULL when neither was probed. */
static char *
uffd_detail (const MwMigrationCaps *caps)
{
  g_autofree char *source = mw_migration_caps_uffd_detail (&caps->source);
  g_autofree char *destination = mw_migration_caps_uffd_detail (&caps->destination);

  if (source == NULL && destination == NULL)
    return NULL;
  return g_strjoin ("\n", destination != NULL ? destination : source,
                    destination != NULL ? source : NULL, NULL);
}

void
mw_check_eval_postcopy (const MwCheckFacts    *facts,
                        const MwMigrationCaps *caps,
                        MwCheckResult         *result)
{
  g_autofree char *why = mw_migration_caps_why_not (caps, MW_MIGRATION_FEATURE_POSTCOPY);
  g_autofree char *detail = uffd_detail (caps);
  g_autofree char *fix = NULL;
  g_autofree char *off = NULL;
  gboolean chosen = facts->options != NULL && facts->options->postcopy;

  if (why == NULL)
    {
      g_autofree char *sentence = NULL;

      if (caps->destination.uffd.probed)
        /* Translators: %s is the destination host. */
        sentence = g_strdup_printf (_("Post-copy can work: QEMU on %s can open a userfaultfd."),
                                    caps->destination.name);
      else
        sentence = g_strdup (_("Nothing rules post-copy out on this pair; the destination’s "
                               "QEMU has the last word."));
      mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, detail, NULL, NULL);
      return;
    }

  fix = mw_migration_caps_uffd_fix (&caps->destination);
  if (fix == NULL)
    fix = g_strdup (_("Update libvirt and QEMU on both hosts, or migrate without post-copy."));
  /* Translators: then the reason, a whole sentence ("Post-copy cannot work: on hostb…"). */
  off = g_strdup_printf (_("Post-copy is off, and could not be "
                          "turned on here. %s"), why);
  mw_check_result_set_unavailable (result, chosen, why, off, detail, fix);
}

void
mw_check_run_postcopy (const MwCheckContext *context,
                       MwCheckResult        *result,
                       GCancellable         *cancellable)
{
  mw_check_run_on_caps (context, result, cancellable, mw_check_eval_postcopy);
}
