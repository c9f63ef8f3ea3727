/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-uri.h: building, parsing and validating libvirt connection URIs.
 *
 * Pure functions, no I/O: safe on any thread. Hosts may be names, IPv4 or IPv6 literals (given
 * without brackets; the URI gets them). Users and hosts are refused when they could be read as
 * ssh options or shell syntax, since the URI ends up on an ssh command line.
 */
#pragma once

#include <glib.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define MW_URI_ERROR (mw_uri_error_quark ())

typedef enum
{
  MW_URI_ERROR_EMPTY,         /* nothing given */
  MW_URI_ERROR_SYNTAX,        /* not a URI at all */
  MW_URI_ERROR_SCHEME,        /* a driver or transport we do not know */
  MW_URI_ERROR_NEEDS_HOST,    /* a remote transport without a host */
  MW_URI_ERROR_LOCAL_HOST,    /* the local transport with a host, user or port */
  MW_URI_ERROR_HOST,          /* the host is not a valid name or address */
  MW_URI_ERROR_USER,          /* the user name has characters ssh or a shell would interpret */
  MW_URI_ERROR_PORT,          /* not a number in 1–65535 */
  MW_URI_ERROR_UNSAFE,        /* a query that turns host-key checking off or runs a command */
} MwUriError;

typedef enum
{
  MW_HYPERVISOR_QEMU,         /* qemu:///system */
  MW_HYPERVISOR_QEMU_SESSION, /* qemu:///session */
  MW_HYPERVISOR_XEN,          /* xen:/// */
  MW_HYPERVISOR_LXC,          /* lxc:/// */
  MW_HYPERVISOR_TEST,         /* test:///default or test:///path/node.xml */
} MwHypervisor;

typedef enum
{
  MW_TRANSPORT_LOCAL,
  MW_TRANSPORT_SSH,
  MW_TRANSPORT_TLS,
  MW_TRANSPORT_TCP,
} MwTransport;

/* A parsed URI. Strings are NULL when absent; port is 0 for the default. */
typedef struct
{
  MwHypervisor hypervisor;
  MwTransport transport;
  char *user;
  char *host;   /* without brackets, also for IPv6 */
  guint port;
  char *path;   /* test driver: "/default" or the node file; others: "/system", "/session" */
  char *query;  /* everything after '?', unparsed, or NULL */
} MwUri;

#define MW_TYPE_URI (mw_uri_get_type ())

GType     mw_uri_get_type        (void) G_GNUC_CONST;
GQuark    mw_uri_error_quark     (void);

MwUri    *mw_uri_parse           (const char  *uri,
                                  GError     **error);
MwUri    *mw_uri_copy            (const MwUri *self);
void      mw_uri_free            (MwUri       *self);
char     *mw_uri_to_string       (const MwUri *self);

/* Builds a URI from what the Add connection dialog asks. user, host may be NULL or empty; port
 * 0 means the transport's default. Returns NULL with a specific error for bad input. */
char     *mw_uri_build           (MwHypervisor  hypervisor,
                                  MwTransport   transport,
                                  const char   *user,
                                  const char   *host,
                                  guint         port,
                                  GError      **error);

gboolean  mw_uri_validate_host   (const char  *host,
                                  GError     **error);
gboolean  mw_uri_validate_user   (const char  *user,
                                  GError     **error);
/* Parses the text of a port field: "" gives 0 (default). */
gboolean  mw_uri_parse_port      (const char  *text,
                                  guint       *port,
                                  GError     **error);

/* Refuses a URI whose query turns off the check of the host's identity (no_verify,
 * known_hosts_verify other than "normal") or names a program for libvirt to run (command,
 * netcat), with a sentence that names the parameter. Looks at the query only, as libvirt reads
 * it (split at & and ;, unescaped, names in any case), so a URI MigWizard cannot parse
 * otherwise passes. mw_uri_parse and mw_libvirt_open call it; so does every place a URI is
 * typed that does not parse it. */
gboolean  mw_uri_check_query     (const char  *uri,
                                  GError     **error);
gboolean  mw_uri_is_remote       (const char  *uri);
/* A short human title, virt-manager style: "QEMU/KVM", "QEMU/KVM: hostb", "QEMU/KVM user session",
 * "Demo: hosta" for the shipped demo nodes, "Test: default". Never NULL. */
char     *mw_uri_get_title       (const char  *uri);
/* The host as a sentence names it ("“web01” runs on hostb."): its host name, a test-driver
 * node's title, "this computer" for a local daemon, else the URI as given. */
char     *mw_uri_get_host_label  (const char  *uri);

/* The URIs of the demo nodes the project ships (test driver files under PKGDATADIR/demo, or
 * $MW_DEMO_DIR when set, as the uninstalled build and the tests do). NULL-terminated. */
char    **mw_uri_get_demo_uris   (void);
gboolean  mw_uri_is_demo         (const char  *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MwUri, mw_uri_free)

G_END_DECLS
