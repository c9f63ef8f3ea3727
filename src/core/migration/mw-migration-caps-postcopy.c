/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-caps-postcopy.c: can the destination's QEMU receive a post-copy migration?
 *
 * Post-copy's incoming side registers the guest's memory with a userfaultfd, so that the pages
 * not yet sent fault into QEMU, which fetches them from the source. QEMU asks only on the
 * destination (migrate_caps_check: postcopy_ram_supported_by_host when the capability is set
 * while incoming); when it cannot, libvirt's Prepare fails with "Postcopy is not supported"
 * before the guest moves. Who may get one (Linux, fs/userfaultfd.c):
 * - the userfaultfd syscall: anyone when vm.unprivileged_userfaultfd is 1; when 0 (the default
 *   since Linux 5.11), only a process with CAP_SYS_PTRACE (QEMU's faults come from the kernel
 *   too, so UFFD_USER_MODE_ONLY does not do). libvirt clears QEMU's capabilities, root or not,
 *   unless qemu.conf says clear_emulator_capabilities = 0;
 * - /dev/userfaultfd (Linux 6.1): whoever may open the device node; QEMU 8.1 falls back to it
 *   when the syscall is refused. libvirt 10.1 ("qemu: Add support for /dev/userfaultfd", NEWS)
 *   lists it in its default cgroup_device_acl (libvirt 11.3's qemu driver carries
 *   "/dev/userfaultfd" in that list) and so creates it in the guest's private /dev and grants
 *   QEMU access there; that private /dev exists only with the mount namespace (qemu.conf's
 *   namespaces, default ["mount"]). Without it QEMU opens the host's node with its own user
 *   (mode 0600 root by default: only a QEMU running as root).
 * The probe reads those facts on a host (kernel sysctl, the device node's mode and owner, and
 * qemu.conf's user, namespaces and clear_emulator_capabilities); the rules below decide. What
 * the probe could not read is not known, and not greyed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mw-migration-caps.h"

#define VERSION(major, minor) ((gulong) (major) * 1000000 + (gulong) (minor) * 1000)
#define QEMU_UFFD_DEV VERSION (8, 1)
#define LIBVIRT_UFFD_DEV VERSION (10, 1)

GStrv
mw_migration_caps_uffd_command (void)
{
  /* qemu.conf of the system daemon; its keys at the start of a line, values as written. */
  static const char script[] =
    "f=/proc/sys/vm/unprivileged_userfaultfd; "
    "[ -r $f ] && echo \"uffd_sysctl $(cat $f)\"; "
    "[ -c /dev/userfaultfd ] && echo \"uffd_dev $(stat -L -c '%a %u' /dev/userfaultfd)\"; "
    "c=/etc/libvirt/qemu.conf; "
    "[ -r $c ] && sed -n 's/^[[:space:]]*\\(user\\|namespaces\\|clear_emulator_capabilities\\)"
    "[[:space:]]*=[[:space:]]*\\(.*\\)$/conf_\\1 \\2/p' $c; "
    "echo uffd_end";
  const char *argv[] = { "sh", "-c", script, NULL };

  return g_strdupv ((char **) argv);
}

void
mw_migration_caps_set_uffd_probe (MwUffdFacts *facts,
                                  const char  *output)
{
  g_auto(GStrv) lines = NULL;

  g_return_if_fail (facts != NULL);
  g_return_if_fail (output != NULL);

  g_clear_pointer (&facts->qemu_user, g_free);
  *facts = (MwUffdFacts) { 0 };
  facts->sysctl = -1;
  /* The script's last line: without it the output is cut, and nothing is known. */
  if (strstr (output, "uffd_end") == NULL)
    return;
  facts->probed = TRUE;

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      const char *line = lines[i];

      if (g_str_has_prefix (line, "uffd_sysctl "))
        facts->sysctl = atoi (line + strlen ("uffd_sysctl ")) != 0 ? 1 : 0;
      else if (g_str_has_prefix (line, "uffd_dev "))
        {
          guint mode = 0;
          guint uid = 0;

          if (sscanf (line + strlen ("uffd_dev "), "%o %u", &mode, &uid) == 2)
            {
              facts->have_dev = TRUE;
              facts->dev_mode = mode;
              facts->dev_uid = uid;
            }
        }
      else if (g_str_has_prefix (line, "conf_"))
        {
          const char *rest = strchr (line, ' ');

          if (rest == NULL)
            continue;
          /* Trailing comments and quotes go: user = "root"  # why */
          value = g_strdup (rest + 1);
          if (strchr (value, '#') != NULL)
            *strchr (value, '#') = '\0';
          g_strstrip (value);
          if (g_str_has_prefix (line, "conf_user "))
            {
              g_strdelimit (value, "\"'", ' ');
              g_strstrip (value);
              g_free (facts->qemu_user);
              facts->qemu_user = *value != '\0' ? g_strdup (value) : NULL;
            }
          else if (g_str_has_prefix (line, "conf_namespaces "))
            {
              GString *compact = g_string_new (NULL);

              /* Only an empty list on one line ("[ ]") turns them off. */
              for (const char *c = value; *c != '\0'; c++)
                if (*c != ' ' && *c != '\t')
                  g_string_append_c (compact, *c);
              facts->namespaces_off = g_str_equal (compact->str, "[]");
              g_string_free (compact, TRUE);
            }
          else if (g_str_has_prefix (line, "conf_clear_emulator_capabilities "))
            facts->keep_caps = g_str_equal (value, "0");
        }
    }
}

void
mw_migration_caps_probe_uffd (MwMigrationCaps *self,
                              const char      *source_uri,
                              const char      *destination_uri,
                              guint            timeout_s,
                              GCancellable    *cancellable)
{
  g_auto(GStrv) command = mw_migration_caps_uffd_command ();
  const char *uris[] = { source_uri, destination_uri };
  MwUffdFacts *facts[] = { &self->source.uffd, &self->destination.uffd };

  g_return_if_fail (self != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autofree char *out = NULL;

      if (uris[i] == NULL || g_cancellable_is_cancelled (cancellable))
        continue;
      out = mw_migration_caps_run_probe (uris[i], (const char * const *) command, timeout_s,
                                         cancellable);
      if (out != NULL)
        mw_migration_caps_set_uffd_probe (facts[i], out);
    }
}

static gboolean
runs_as_root (const MwUffdFacts *facts)
{
  return g_strcmp0 (facts->qemu_user, "root") == 0 || g_strcmp0 (facts->qemu_user, "+0") == 0;
}

/* How QEMU gets its userfaultfd there, or NULL when it cannot. Static strings. */
static const char *
uffd_way (const MwMigrationHostFacts *host)
{
  const MwUffdFacts *facts = &host->uffd;
  gboolean qemu_can_use_dev = host->qemu_version == 0 || host->qemu_version >= QEMU_UFFD_DEV;

  if (facts->sysctl == 1)
    return "sysctl";
  if (runs_as_root (facts) && facts->keep_caps)
    return "cap";
  if (!facts->have_dev || !qemu_can_use_dev)
    return NULL;
  if ((host->libvirt_version == 0 || host->libvirt_version >= LIBVIRT_UFFD_DEV)
      && !facts->namespaces_off)
    return "libvirt";
  if (runs_as_root (facts) && facts->dev_uid == 0 && (facts->dev_mode & 0600) == 0600)
    return "root";
  if ((facts->dev_mode & 0006) == 0006)
    return "world";
  return NULL;
}

char *
mw_migration_caps_uffd_why_not (const MwMigrationHostFacts *host)
{
  const MwUffdFacts *facts;
  g_autofree char *user = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  facts = &host->uffd;
  if (!facts->probed || uffd_way (host) != NULL)
    return NULL;
  if (facts->sysctl < 0 && !facts->have_dev)
    /* Translators: %s is a host ("hostb"). */
    return g_strdup_printf (_("Post-copy cannot work: the kernel on %s has no userfaultfd, "
                              "which the destination’s QEMU needs to fetch the pages not yet "
                              "sent."), host->name);
  user = g_strdup (facts->qemu_user != NULL ? facts->qemu_user : "libvirt-qemu");
  if (!facts->have_dev)
    /* Translators: "Post-copy cannot work: on hostb, vm.unprivileged_userfaultfd is 0, QEMU
     * runs as libvirt-qemu without CAP_SYS_PTRACE, and the kernel has no /dev/userfaultfd." */
    return g_strdup_printf (_("Post-copy cannot work: on %s, vm.unprivileged_userfaultfd is 0, "
                              "QEMU runs as %s without CAP_SYS_PTRACE, and the kernel has no "
                              "/dev/userfaultfd."), host->name, user);
  if (host->qemu_version != 0 && host->qemu_version < QEMU_UFFD_DEV)
    {
      g_autofree char *have = mw_version_string (host->qemu_version);

      /* Translators: "Post-copy cannot work: on hostb, vm.unprivileged_userfaultfd is 0 and
       * QEMU 7.2 cannot use /dev/userfaultfd instead (QEMU 8.1 can)." */
      return g_strdup_printf (_("Post-copy cannot work: on %s, vm.unprivileged_userfaultfd is 0 "
                                "and QEMU %s cannot use /dev/userfaultfd instead (QEMU 8.1 "
                                "can)."), host->name, have);
    }
  /* Translators: "Post-copy cannot work: on hostb, vm.unprivileged_userfaultfd is 0 and QEMU,
   * running as libvirt-qemu, may not open /dev/userfaultfd (mode 0600); libvirt 10.1 grants it
   * by itself when its mount namespace is on." */
  return g_strdup_printf (_("Post-copy cannot work: on %s, vm.unprivileged_userfaultfd is 0 and "
                            "QEMU, running as %s, may not open /dev/userfaultfd (mode %04o); "
                            "libvirt 10.1 grants it by itself when its mount namespace is on."),
                          host->name, user, facts->dev_mode);
}

char *
mw_migration_caps_uffd_detail (const MwMigrationHostFacts *host)
{
  const MwUffdFacts *facts;
  const char *way;
  g_autofree char *sysctl = NULL;
  g_autofree char *dev = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  facts = &host->uffd;
  if (!facts->probed)
    return NULL;
  sysctl = facts->sysctl < 0 ? g_strdup ("-") : g_strdup_printf ("%d", facts->sysctl);
  dev = facts->have_dev ? g_strdup_printf ("%04o uid %u", facts->dev_mode, facts->dev_uid)
                        : g_strdup ("-");
  way = uffd_way (host);
  /* Translators: a line of facts: "hostb: vm.unprivileged_userfaultfd 0, /dev/userfaultfd 0600
   * uid 0, QEMU user root, mount namespace off; QEMU gets a userfaultfd: root." The values
   * stay as they are. */
  return g_strdup_printf (_("%s: vm.unprivileged_userfaultfd %s, /dev/userfaultfd %s, QEMU user "
                            "%s, mount namespace %s; QEMU gets a userfaultfd: %s."),
                          host->name, sysctl, dev,
                          facts->qemu_user != NULL ? facts->qemu_user : "-",
                          facts->namespaces_off ? "off" : "on", way != NULL ? way : "no");
}

char *
mw_migration_caps_uffd_fix (const MwMigrationHostFacts *host)
{
  g_autofree char *why = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  why = mw_migration_caps_uffd_why_not (host);
  if (why == NULL)
    return NULL;
  if (host->uffd.sysctl < 0 && !host->uffd.have_dev)
    /* Translators: %s is a host. */
    return g_strdup_printf (_("Migrate to %s without post-copy, or boot it with a kernel built "
                              "with CONFIG_USERFAULTFD."), host->name);
  /* Translators: %s is a host; the commands are literal. */
  return g_strdup_printf (_("On %s, let every process open a userfaultfd:\n"
                            "  sysctl -w vm.unprivileged_userfaultfd=1\n"
                            "  echo vm.unprivileged_userfaultfd=1 > "
                            "/etc/sysctl.d/60-userfaultfd.conf\n"
                            "or run libvirt 10.1 and QEMU 8.1 there, on Linux 6.1 (which has "
                            "/dev/userfaultfd), with qemu.conf’s mount namespace on; or migrate "
                            "without post-copy."), host->name);
}
