/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-check-cpu.c: the same hypervisor and architecture, and a guest CPU the destination can
 * provide (virConnectCompareHypervisorCPU with the domain's own <cpu>), plus what differs
 * between the two host CPUs. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "mw-check-rules.h"
#include "mw-libvirt.h"
#include "mw-shell.h"

void
mw_check_eval_hypervisor (const MwCheckFacts *facts,
                          MwCheckResult      *result)
{
  const MwHostFacts *source = facts->source;
  const MwHostFacts *dest = facts->dest;
  g_autofree char *detail = g_strdup_printf (_("Source: %s on %s. Destination: %s on %s."),
                                             source->hv_type, source->arch ? source->arch : "?",
                                             dest->hv_type, dest->arch ? dest->arch : "?");

  if (g_strcmp0 (source->hv_type, dest->hv_type) != 0)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("The hosts run different hypervisors (%s and %s): a guest cannot "
                           "move between them live."), source->hv_type, dest->hv_type);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail,
                           _("Choose a destination with the same hypervisor."), NULL);
      return;
    }
  if (source->arch != NULL && dest->arch != NULL && g_strcmp0 (source->arch, dest->arch) != 0)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("The hosts have different architectures (%s and %s)."),
                         source->arch, dest->arch);

      mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail,
                           _("Choose a destination with the same architecture."), NULL);
      return;
    }

  mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                       _("Both hosts run the same hypervisor on the same architecture."),
                       detail, NULL, NULL);
}

GStrv
mw_check_missing_cpu_features (const MwHostFacts *source,
                               const MwHostFacts *dest)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; source->cpu_features != NULL && source->cpu_features[i] != NULL; i++)
    if (dest->cpu_features == NULL
        || !g_strv_contains ((const char * const *) dest->cpu_features, source->cpu_features[i]))
      g_strv_builder_add (builder, source->cpu_features[i]);

  return g_strv_builder_end (builder);
}

/* The command lines quote every name and URI (mw_shell_quote) so they can be pasted. */
static char *
baseline_fix (const MwCheckFacts *facts)
{
  g_autofree char *source_uri = mw_shell_quote (facts->source_uri);
  g_autofree char *dest_uri = mw_shell_quote (facts->dest_uri);
  g_autofree char *domain = mw_shell_quote (facts->domain_name);

  return g_strdup_printf (
    _("Give the guest a CPU model both hosts provide, then shut it down and start it again "
      "(the model changes at the next boot):\n"
      "  virsh -c %s domcapabilities > src.xml\n"
      "  virsh -c %s domcapabilities > dst.xml\n"
      "  cat src.xml dst.xml > both.xml\n"
      "  virsh hypervisor-cpu-baseline both.xml --migratable\n"
      "and put the printed <cpu> in the domain with virsh edit %s. A named model such as "
      "“x86-64-v2” also works, as does host-model on a host with the baseline CPU."),
    source_uri, dest_uri, domain);
}

/* Host CPU features the destination lacks: a warning saying which (missing_sentence), or a pass
 * when it lacks none (missing_sentence NULL). */
static void
set_features_result (MwCheckResult *result,
                     const char    *missing_sentence,
                     const char    *detail,
                     const char    *fix)
{
  if (missing_sentence != NULL)
    mw_check_result_set (result, MW_CHECK_STATE_WARNING, missing_sentence, detail, fix, NULL);
  else
    mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                         _("The destination’s CPU has every feature of the source’s."), detail,
                         NULL, NULL);
}

void
mw_check_eval_cpu (const MwCheckFacts *facts,
                   int                 compare,
                   const char         *message,
                   MwCheckResult      *result)
{
  const MwDomainFacts *domain = facts->domain;
  g_auto(GStrv) missing = mw_check_missing_cpu_features (facts->source, facts->dest);
  g_autofree char *missing_text = g_strjoinv (", ", missing);
  g_autofree char *fix = baseline_fix (facts);
  g_autofree char *detail = NULL;
  g_autofree char *missing_sentence = NULL;

  if (domain->cpu_xml == NULL || (g_strcmp0 (domain->cpu_mode, "custom") == 0
                                  && domain->cpu_model == NULL))
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("The guest uses the hypervisor’s default CPU model, which any host "
                             "of this architecture provides."), NULL, NULL, NULL);
      return;
    }

  if (g_strcmp0 (domain->cpu_mode, "host-passthrough") == 0)
    {
      detail = g_strdup_printf (_("Source CPU: %s. Destination CPU: %s.%s%s"),
                                facts->source->cpu_model ? facts->source->cpu_model : "?",
                                facts->dest->cpu_model ? facts->dest->cpu_model : "?",
                                missing[0] != NULL ? _(" Missing on the destination: ") : "",
                                missing_text);
      if (missing[0] != NULL
          || g_strcmp0 (facts->source->cpu_model, facts->dest->cpu_model) != 0)
        mw_check_result_set (result, MW_CHECK_STATE_BLOCKING,
                             _("The guest sees the source host’s exact CPU (host-passthrough), "
                               "and the destination’s CPU is different."), detail, fix, NULL);
      else
        mw_check_result_set (result, MW_CHECK_STATE_WARNING,
                             _("The guest sees the source host’s exact CPU (host-passthrough); "
                               "the destination’s looks the same, which is the only case where "
                               "this migrates safely."), detail, fix, NULL);
      return;
    }

  switch (compare)
    {
    case VIR_CPU_COMPARE_IDENTICAL:
    case VIR_CPU_COMPARE_SUPERSET:
      {
        g_autofree char *sentence =
          g_strdup_printf (_("The destination can provide the guest’s CPU (%s)."),
                           domain->cpu_model ? domain->cpu_model : domain->cpu_mode);

        mw_check_result_set (result, MW_CHECK_STATE_PASSED, sentence, message, NULL, NULL);
      }
      return;

    case VIR_CPU_COMPARE_INCOMPATIBLE:
      {
        g_autofree char *sentence =
          g_strdup_printf (_("The destination cannot provide the guest’s CPU (%s)."),
                           domain->cpu_model ? domain->cpu_model : domain->cpu_mode);

        detail = g_strdup_printf ("%s%s%s", message ? message : "",
                                  missing[0] != NULL ? _("\nHost CPU features missing on the "
                                                         "destination: ") : "",
                                  missing_text);
        mw_check_result_set (result, MW_CHECK_STATE_BLOCKING, sentence, detail, fix, NULL);
      }
      return;

    default:
      break;
    }

  /* The destination could not compare (an older libvirt, the test driver): fall back to the
   * host CPUs' feature lists. */
  detail = g_strdup_printf (_("The destination could not compare CPUs: %s"),
                            message ? message : _("no reason given"));
  if (missing[0] != NULL)
    missing_sentence = g_strdup_printf (_("The destination’s CPU lacks features the source’s has "
                                          "(%s): the guest may not start there."), missing_text);
  set_features_result (result, missing_sentence, detail, fix);
}

void
mw_check_run_cpu (const MwCheckContext *context,
                  MwCheckResult        *result,
                  GCancellable         *cancellable)
{
  const MwDomainFacts *domain = context->facts->domain;
  g_autoptr(GError) error = NULL;
  int compare = -1;

  if (domain->cpu_xml != NULL)
    {
      compare = virConnectCompareHypervisorCPU (context->dconn, NULL, domain->arch, NULL,
                                                domain->virt_type, domain->cpu_xml, 0);
      if (compare < 0)
        {
          mw_libvirt_set_error (&error, NULL);
          compare = -1;
        }
    }

  mw_check_eval_cpu (context->facts, compare, error != NULL ? error->message : NULL, result);
}

void
mw_check_eval_cpu_flags (const MwCheckFacts *facts,
                         MwCheckResult      *result)
{
  const MwHostFacts *source = facts->source;
  const MwHostFacts *dest = facts->dest;
  g_auto(GStrv) missing = mw_check_missing_cpu_features (source, dest);
  g_auto(GStrv) extra = mw_check_missing_cpu_features (dest, source);
  g_autofree char *missing_text = g_strjoinv (", ", missing);
  g_autofree char *extra_text = g_strjoinv (", ", extra);
  g_autofree char *detail =
    g_strdup_printf (_("Source: %s %s. Destination: %s %s.\nOnly on the source: %s.\nOnly on "
                       "the destination: %s."),
                     source->cpu_vendor ? source->cpu_vendor : "", source->cpu_model ? source->cpu_model : "?",
                     dest->cpu_vendor ? dest->cpu_vendor : "", dest->cpu_model ? dest->cpu_model : "?",
                     missing[0] ? missing_text : _("none"), extra[0] ? extra_text : _("none"));
  const char *fix = _("Give the guest a CPU model both hosts provide (see “Guest CPU on the "
                      "destination”), or check the destination’s firmware settings: NX (execute "
                      "disable) and virtualisation extensions can be switched off there.");
  g_autofree char *missing_sentence = NULL;

  if (source->cpu_model == NULL && dest->cpu_model == NULL && missing[0] == NULL
      && extra[0] == NULL)
    {
      mw_check_result_set (result, MW_CHECK_STATE_PASSED,
                           _("Neither host names its CPU model or features, so there is nothing "
                             "to compare."), NULL, NULL, NULL);
      return;
    }
  if (source->cpu_vendor != NULL && dest->cpu_vendor != NULL
      && g_strcmp0 (source->cpu_vendor, dest->cpu_vendor) != 0)
    {
      g_autofree char *sentence =
        g_strdup_printf (_("The CPU vendors differ (%s and %s): only a guest with a generic CPU "
                           "model migrates, and some guests notice the change."),
                         source->cpu_vendor, dest->cpu_vendor);

      mw_check_result_set (result, MW_CHECK_STATE_WARNING, sentence, detail, fix, NULL);
      return;
    }
  if (g_strv_contains ((const char * const *) missing, "nx"))
    missing_sentence = g_strdup_printf (_("The destination’s CPU lacks NX (execute disable), and "
                                          "also: %s."), missing_text);
  else if (missing[0] != NULL)
    missing_sentence = g_strdup_printf (_("The destination’s CPU lacks these features of the "
                                          "source’s: %s."), missing_text);
  set_features_result (result, missing_sentence, detail, fix);
}
