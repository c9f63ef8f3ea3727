/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-ssh-tool: the mw-ssh core one step at a time, for tests/ssh/lab-ssh.sh.
 *
 *   mw-ssh-tool [--ssh-dir DIR] [--config FILE] STEP USER@HOST[:PORT]
 *     check     keyscan + known_hosts: prints "state NEW|KNOWN_SAME" and "key TYPE FINGERPRINT"
 *               per key, exit 3 with the loud message on CHANGED
 *     accept    check, then add the best key to known_hosts (only when NEW)
 *     keygen    create DIR/id_ed25519 (passphrase from stdin's first line, may be empty)
 *     copy-id   copy the public key; the password is stdin's first line
 *     login     ssh -o BatchMode=yes … true
 *     libvirt   qemu+ssh://… /system: prints hostname and versions
 *   mw-ssh-tool [--config FILE] p2p-check SOURCE DEST_HOST
 *     as root on SOURCE: can it reach root@DEST_HOST without a prompt? exit 0 yes, 4 no
 *   mw-ssh-tool [--config FILE] p2p-setup SOURCE DEST_HOST SCAN_ADDRESS
 *     the fix: DEST's host key (scanned at SCAN_ADDRESS, as the desktop reaches it) pinned on
 *     SOURCE under DEST_HOST, SOURCE's root key authorised for root on DEST_HOST
 * Every step runs through the _async API on a main loop, as the wizard uses it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "mw-libvirt.h"
#include "mw-ssh.h"

static GMainLoop *loop;
static GAsyncResult *result;

static void
on_done_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  result = g_object_ref (res);
  g_main_loop_quit (loop);
}

static GAsyncResult *
wait_result (void)
{
  g_main_loop_run (loop);
  return result;
}

static char *
read_stdin_line (void)
{
  char buffer[4097] = { 0 };

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return g_strdup ("");
  buffer[strcspn (buffer, "\n")] = '\0';
  return g_strdup (buffer);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *ssh_dir = NULL;
  g_autofree char *config = NULL;
  GOptionEntry entries[] = {
    { "ssh-dir", 0, 0, G_OPTION_ARG_FILENAME, &ssh_dir, "The .ssh directory to use", "DIR" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config, "ssh -F FILE", "FILE" },
    { NULL },
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("STEP USER@HOST[:PORT]");
  g_autoptr(MwSshContext) context = NULL;
  g_autoptr(MwSshTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  const char *step;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || argc < 3)
    {
      g_printerr ("usage: mw-ssh-tool [--ssh-dir DIR] [--config FILE] STEP USER@HOST[:PORT]\n");
      return 2;
    }
  mw_libvirt_init ();
  loop = g_main_loop_new (NULL, FALSE);
  step = argv[1];
  context = mw_ssh_context_new (ssh_dir);
  context->config_file = g_strdup (config);
  target = mw_ssh_target_parse (argv[2], &error);
  if (target == NULL)
    {
      g_printerr ("invalid address: %s\n", error->message);
      return 2;
    }

  if (g_str_equal (step, "p2p-check") && argc == 4)
    {
      g_autofree char *explanation = NULL;
      gboolean works = mw_ssh_check_p2p (context, target, argv[3], &explanation, NULL, &error);

      if (!works && error != NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%s\n%s\n", works ? "p2p ok" : "p2p missing", explanation);
      return works ? 0 : 4;
    }
  else if (g_str_equal (step, "p2p-setup") && argc == 5)
    {
      g_autoptr(MwSshTarget) scan = mw_ssh_target_parse (argv[4], &error);
      g_autoptr(MwSshTarget) dest = mw_ssh_target_parse (argv[3], &error);
      g_autoptr(MwSshHostKeyCheck) check = NULL;
      g_autofree char *scan_dir = g_dir_make_tmp ("mw-ssh-tool-XXXXXX", NULL);
      g_autoptr(MwSshContext) scan_context = mw_ssh_context_new (scan_dir);
      MwSshHostKey *key;

      if (scan == NULL || dest == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      check = mw_ssh_check_host_key (scan_context, scan, NULL, &error);
      if (check == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_rmdir (scan_dir);
      key = g_ptr_array_index (check->keys, 0);
      g_print ("dest key %s %s\n", key->type, key->fingerprint);
      if (!mw_ssh_setup_p2p (context, target, dest, key, NULL, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("p2p set up\n");
      return 0;
    }
  else if (argc != 3)
    {
      g_printerr ("wrong arguments for %s\n", step);
      return 2;
    }
  else if (g_str_equal (step, "check") || g_str_equal (step, "accept"))
    {
      g_autoptr(MwSshHostKeyCheck) check = NULL;

      mw_ssh_check_host_key_async (context, target, NULL, on_done_cb, NULL);
      check = mw_ssh_check_host_key_finish (wait_result (), &error);
      if (check == NULL)
        {
          g_printerr ("%s\n", error->message);
          return g_error_matches (error, MW_SSH_ERROR, MW_SSH_ERROR_HOST_KEY_CHANGED) ? 3 : 1;
        }
      g_print ("state %s\n", check->state == MW_SSH_HOST_KEY_NEW ? "NEW" : "KNOWN_SAME");
      for (guint i = 0; i < check->keys->len; i++)
        {
          MwSshHostKey *key = g_ptr_array_index (check->keys, i);

          g_print ("key %s %s\n", key->type, key->fingerprint);
        }
      if (g_str_equal (step, "accept") && check->state == MW_SSH_HOST_KEY_NEW)
        {
          g_clear_object (&result);
          mw_ssh_accept_host_key_async (context, target, g_ptr_array_index (check->keys, 0),
                                        NULL, on_done_cb, NULL);
          if (!mw_ssh_accept_host_key_finish (wait_result (), &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          g_print ("accepted\n");
        }
    }
  else if (g_str_equal (step, "keygen"))
    {
      g_autofree char *passphrase = read_stdin_line ();
      g_autofree char *comment = mw_ssh_target_to_string (target);
      g_autofree char *path = NULL;

      mw_ssh_generate_key_async (context, comment, passphrase, NULL, on_done_cb, NULL);
      path = mw_ssh_generate_key_finish (wait_result (), &error);
      if (path == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("public key %s\n", path);
    }
  else if (g_str_equal (step, "copy-id"))
    {
      g_autofree char *password = read_stdin_line ();
      g_autofree char *public_key = mw_ssh_find_public_key (context);

      if (public_key == NULL)
        {
          g_printerr ("no public key\n");
          return 1;
        }
      mw_ssh_copy_key_async (context, target, public_key, password, NULL, on_done_cb, NULL);
      memset (password, 0, strlen (password));
      if (!mw_ssh_copy_key_finish (wait_result (), &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("copied %s\n", public_key);
    }
  else if (g_str_equal (step, "login"))
    {
      mw_ssh_test_login_async (context, target, NULL, on_done_cb, NULL);
      if (!mw_ssh_test_login_finish (wait_result (), &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("login ok\n");
    }
  else if (g_str_equal (step, "libvirt"))
    {
      g_autofree char *uri = mw_ssh_target_to_uri (target, MW_HYPERVISOR_QEMU,
                                                   MW_TRANSPORT_SSH, &error);
      g_autoptr(MwSshLibvirtInfo) info = NULL;
      g_autofree char *lib = NULL;
      g_autofree char *hv = NULL;

      if (uri == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      mw_ssh_test_libvirt_async (uri, NULL, on_done_cb, NULL);
      info = mw_ssh_test_libvirt_finish (wait_result (), &error);
      if (info == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      lib = mw_ssh_format_version (info->lib_version);
      hv = mw_ssh_format_version (info->hv_version);
      g_print ("uri %s\nhostname %s\nlibvirt %s\n%s %s\n", uri, info->hostname, lib,
               info->hypervisor, hv);
    }
  else
    {
      g_printerr ("unknown step %s\n", step);
      return 2;
    }

  g_clear_object (&result);
  g_main_loop_unref (loop);
  return 0;
}
