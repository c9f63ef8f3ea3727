/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-domain-address.h: a running guest's IPv4 address, as its host knows it (DHCP leases, the
 * ARP table, the guest agent, then a static address on a directly booted kernel's command
 * line, in that order), for pinging it through a migration. A guest of
 * libvirt's test driver has none: that driver invents addresses nothing answers at. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void   mw_domain_discover_address_async  (const char          *uri,
                                          const char          *domain_name,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The address, or NULL with an error that says what was asked (G_IO_ERROR_NOT_FOUND), that the
 * host is a test driver (G_IO_ERROR_NOT_SUPPORTED), or why the host could not be asked. */
char  *mw_domain_discover_address_finish (GAsyncResult        *result,
                                          GError             **error);

/* The static IPv4 address a kernel command line gives the guest, in the kernel's own syntax
 * (`ip=<client-ip>[:<server>:<gateway>:<netmask>:…]`, Documentation/admin-guide/nfs/
 * nfsroot.rst), or NULL (no ip=, or ip=dhcp and the like). Pure. */
char  *mw_domain_address_from_cmdline    (const char          *cmdline);

G_END_DECLS
