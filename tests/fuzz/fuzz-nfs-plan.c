/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-nfs-plan.c: the NFS plan's validator and renderers (mw-nfs-plan.c), fed what the Set Up
 * Hosts page and `setup-pool` pass: server, export path, network, pool, mount path, ssh user,
 * one a line.
 *
 * Invariants: a plan that validates renders commands a POSIX shell splits into exactly the
 * words meant (so nothing typed becomes shell syntax), an exports line of one line, and pool
 * XML that libvirt-gconfig reads back with the same name, host, directory and mount path. */
#include <string.h>

#include "mw-fuzz.h"
#include "mw-migration-options.h"
#include "mw-storage-setup.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  mw_fuzz_init ();
  return 0;
}

/* The command must split into exactly the words given (NULL-terminated). */
static void
check_words (const char *command,
             ...)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  va_list words;
  guint i = 0;
  const char *word;

  if (!g_shell_parse_argv (command, NULL, &argv, &error))
    mw_fuzz_fail ("“%s” is not a shell command: %s", command, error->message);
  va_start (words, command);
  while ((word = va_arg (words, const char *)) != NULL)
    {
      if (argv[i] == NULL || !g_str_equal (argv[i], word))
        mw_fuzz_fail ("“%s”: word %u is “%s”, not “%s”", command, i, argv[i], word);
      i++;
    }
  va_end (words);
  mw_fuzz_check (argv[i] == NULL);
}

static void
check_plan (const MwNfsPlan *plan)
{
  g_autofree char *line = mw_nfs_plan_get_exports_line (plan);
  g_auto(GStrv) commands = mw_nfs_plan_get_server_commands (plan);
  g_autofree char *text = mw_nfs_plan_render (plan);
  g_autofree char *xml = mw_nfs_plan_get_pool_xml (plan);
  g_autofree char *firewall = mw_nfs_plan_get_firewall_source (plan);
  g_autoptr(GVirConfigStoragePool) pool = NULL;
  g_autoptr(GVirConfigStoragePoolSource) source = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  g_autoptr(GError) error = NULL;

  mw_fuzz_check (strchr (line, '\n') == NULL && g_utf8_validate (line, -1, NULL));
  /* Nothing a command takes as one of its words may read as an option. */
  mw_fuzz_check (plan->server[0] != '-' && plan->network[0] != '-');
  mw_fuzz_check (plan->pool_name[0] != '-');
  mw_fuzz_check (g_utf8_validate (text, -1, NULL));

  check_words (commands[0], "mkdir", "-p", plan->export_path, NULL);
  check_words (commands[1], "echo", line, ">>", "/etc/exports", NULL);
  check_words (commands[4], "ufw", "allow", "from", firewall, "to", "any", "port", "2049",
               "proto", "tcp", NULL);
  /* ufw takes addresses only: the plan's network, or any (a name, a pattern, everyone) */
  mw_fuzz_check (g_str_equal (firewall, plan->network) || g_str_equal (firewall, "any"));

  pool = gvir_config_storage_pool_new_from_xml (xml, &error);
  if (pool == NULL)
    mw_fuzz_fail ("the pool XML does not read back: %s\n%s", error->message, xml);
  mw_fuzz_check (g_strcmp0 (gvir_config_storage_pool_get_name (pool), plan->pool_name) == 0);
  source = gvir_config_storage_pool_get_source (pool);
  target = gvir_config_storage_pool_get_target (pool);
  mw_fuzz_check (source != NULL && target != NULL);
  mw_fuzz_check (g_strcmp0 (gvir_config_storage_pool_source_get_host (source), plan->server) == 0);
  mw_fuzz_check (g_strcmp0 (gvir_config_storage_pool_target_get_path (target),
                            plan->target_path) == 0);
  mw_fuzz_check (strstr (xml, "<dir path=") != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = mw_fuzz_string (data, size);
  g_auto(GStrv) fields = g_strsplit (text, "\n", 6);
  const char *field[6] = { NULL };
  g_autoptr(MwNfsPlan) plan = NULL;
  g_autoptr(MwNfsPlan) copy = NULL;
  g_autoptr(GError) error = NULL;

  /* An absent line is an option not given (NULL); "" is an empty field. */
  for (guint i = 0; i < 6 && fields[i] != NULL; i++)
    field[i] = fields[i];
  plan = mw_nfs_plan_new (field[0], field[1], field[2], field[3], field[4]);
  plan->ssh_user = g_strdup (field[5]);
  copy = mw_nfs_plan_copy (plan);

  if (!mw_nfs_plan_validate (copy, &error))
    {
      mw_fuzz_check (error->domain == MW_SETUP_ERROR);
      mw_fuzz_check_message (error);
      return 0;
    }
  check_plan (copy);
  return 0;
}
