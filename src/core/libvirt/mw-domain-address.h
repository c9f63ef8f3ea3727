/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-domain-address.h: a running guest's IPv4 address, as its host knows it (DHCP leases, the
 * ARP table, the guest agent, in that order), for pinging it through a migration. A guest of
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

G_END_DECLS
