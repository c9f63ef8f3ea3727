/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-domain-address: the static address on a directly booted kernel's command line (the
 * lab's guests, many CI and training guests), in the kernel's own ip= syntax. */

#include "config.h"

#include <gio/gio.h>

#include "mw-domain-address.h"

static void
test_from_cmdline (void)
{
  static const struct
  {
    const char *cmdline;
    const char *address;
  } cases[] = {
    { "console=ttyS0 ip=10.77.0.10::10.77.0.1:255.255.255.0:labguest:eth0:off quiet", "10.77.0.10" },
    { "ip=192.168.1.5", "192.168.1.5" },
    { "root=/dev/vda1 ip=dhcp", NULL },
    { "ip=::::guest:eth0:dhcp", NULL },
    { "ip=0.0.0.0:::::eth0:off", NULL },
    { "mwlab.ip=10.77.0.10/24", NULL },     /* not the kernel's parameter */
    { "noip=10.1.1.1", NULL },
    { "ip=fe80::1", NULL },                 /* IPv6 is not what ip= takes */
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = mw_domain_address_from_cmdline (cases[i].cmdline);

      g_test_message ("%s", cases[i].cmdline ? cases[i].cmdline : "(null)");
      g_assert_cmpstr (found, ==, cases[i].address);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/domain-address/from-cmdline", test_from_cmdline);
  return g_test_run ();
}
