/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-uri.c: building, parsing and validating connection URIs, and their titles. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mw-uri.h"

typedef struct
{
  MwHypervisor hypervisor;
  MwTransport transport;
  const char *user;
  const char *host;
  guint port;
  const char *expected;
} BuildCase;

static const BuildCase build_cases[] = {
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_LOCAL, NULL, NULL, 0, "qemu:///system" },
  { MW_HYPERVISOR_QEMU_SESSION, MW_TRANSPORT_LOCAL, NULL, NULL, 0, "qemu:///session" },
  { MW_HYPERVISOR_XEN, MW_TRANSPORT_LOCAL, NULL, NULL, 0, "xen:///" },
  { MW_HYPERVISOR_LXC, MW_TRANSPORT_LOCAL, "", "", 0, "lxc:///" },
  { MW_HYPERVISOR_TEST, MW_TRANSPORT_LOCAL, NULL, NULL, 0, "test:///default" },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root", "hostb", 0, "qemu+ssh://root@hostb/system" },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root", "fd00::1", 2222,
    "qemu+ssh://root@[fd00::1]:2222/system" },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL, "[fd00::1]", 0, "qemu+ssh://[fd00::1]/system" },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_TLS, NULL, "192.168.10.12", 16514,
    "qemu+tls://192.168.10.12:16514/system" },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_TCP, "", "host-1.lab.example.com.", 0,
    "qemu+tcp://host-1.lab.example.com./system" },
  { MW_HYPERVISOR_QEMU_SESSION, MW_TRANSPORT_SSH, "alice.smith_2", "hostb", 0,
    "qemu+ssh://alice.smith_2@hostb/session" },
  { MW_HYPERVISOR_LXC, MW_TRANSPORT_SSH, "root", "10.0.0.1", 22, "lxc+ssh://root@10.0.0.1:22/" },
  { MW_HYPERVISOR_TEST, MW_TRANSPORT_TCP, NULL, "hosta", 0, "test+tcp://hosta/default" },
  /* Unicode: IDN hosts go in as xn--, user names are percent-encoded. */
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL, "bücher.example", 0,
    "qemu+ssh://xn--bcher-kva.example/system" },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "jürgen", "hostb", 0,
    "qemu+ssh://j%C3%BCrgen@hostb/system" },
};

static void
test_build_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (build_cases); i++)
    {
      const BuildCase *c = &build_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(MwUri) parsed = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *again = NULL;

      uri = mw_uri_build (c->hypervisor, c->transport, c->user, c->host, c->port, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, c->expected);

      parsed = mw_uri_parse (uri, &error);
      g_assert_no_error (error);
      g_assert_nonnull (parsed);
      g_assert_cmpint (parsed->hypervisor, ==, c->hypervisor);
      g_assert_cmpint (parsed->transport, ==, c->transport);
      g_assert_cmpuint (parsed->port, ==, c->port);
      if (c->user != NULL && *c->user != '\0')
        g_assert_cmpstr (parsed->user, ==, c->user);
      else
        g_assert_null (parsed->user);
      if (c->transport == MW_TRANSPORT_LOCAL)
        g_assert_null (parsed->host);
      else
        g_assert_nonnull (parsed->host);
      g_assert_null (parsed->query);

      again = mw_uri_to_string (parsed);
      g_assert_cmpstr (again, ==, uri);
    }
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwUri) uri = NULL;
  g_autoptr(MwUri) copy = NULL;
  g_autofree char *text = NULL;

  /* No transport with a host: libvirt's default, TLS. */
  uri = mw_uri_parse ("qemu://hostb/system", &error);
  g_assert_no_error (error);
  g_assert_cmpint (uri->transport, ==, MW_TRANSPORT_TLS);
  g_assert_cmpstr (uri->host, ==, "hostb");
  g_assert_cmpstr (uri->path, ==, "/system");
  g_clear_pointer (&uri, mw_uri_free);

  uri = mw_uri_parse ("qemu+unix:///system", &error);
  g_assert_no_error (error);
  g_assert_cmpint (uri->transport, ==, MW_TRANSPORT_LOCAL);
  g_assert_cmpint (uri->hypervisor, ==, MW_HYPERVISOR_QEMU);
  g_clear_pointer (&uri, mw_uri_free);

  /* Scheme case does not matter; surrounding blanks are ignored. */
  uri = mw_uri_parse ("  QEMU+SSH://root@[FD00::1]:2222/session\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (uri->hypervisor, ==, MW_HYPERVISOR_QEMU_SESSION);
  g_assert_cmpint (uri->transport, ==, MW_TRANSPORT_SSH);
  g_assert_cmpstr (uri->user, ==, "root");
  g_assert_cmpstr (uri->host, ==, "FD00::1");
  g_assert_cmpuint (uri->port, ==, 2222);
  g_clear_pointer (&uri, mw_uri_free);

  /* The query is kept as it is and survives a round trip. */
  uri = mw_uri_parse ("qemu+ssh://root@hostb/system?keyfile=/root/.ssh/id_lab&no_tty=1",
                      &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri->query, ==, "keyfile=/root/.ssh/id_lab&no_tty=1");
  copy = mw_uri_copy (uri);
  text = mw_uri_to_string (copy);
  g_assert_cmpstr (text, ==, "qemu+ssh://root@hostb/system?keyfile=/root/.ssh/id_lab&no_tty=1");
  g_clear_pointer (&uri, mw_uri_free);
  g_clear_pointer (&text, g_free);

  /* Test driver node files, escaped and unicode paths included. */
  uri = mw_uri_parse ("test:///srv/nodes/my%20node.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpint (uri->hypervisor, ==, MW_HYPERVISOR_TEST);
  g_assert_cmpstr (uri->path, ==, "/srv/nodes/my node.xml");
  text = mw_uri_to_string (uri);
  g_assert_cmpstr (text, ==, "test:///srv/nodes/my%20node.xml");
  g_clear_pointer (&uri, mw_uri_free);
  g_clear_pointer (&text, g_free);

  uri = mw_uri_parse ("test:///srv/nœuds/hôte.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri->path, ==, "/srv/nœuds/hôte.xml");
  g_clear_pointer (&uri, mw_uri_free);

  uri = mw_uri_parse ("xen:///system", &error);
  g_assert_no_error (error);
  g_assert_cmpint (uri->hypervisor, ==, MW_HYPERVISOR_XEN);
  g_clear_pointer (&uri, mw_uri_free);

  /* The boxed type copies and frees. */
  g_assert_true (G_TYPE_IS_BOXED (MW_TYPE_URI));
}

typedef struct
{
  const char *uri;
  MwUriError code;
  const char *message;  /* NULL: only the code is checked */
} ParseErrorCase;

static const ParseErrorCase parse_error_cases[] = {
  { "", MW_URI_ERROR_EMPTY, "Enter a connection URI such as qemu:///system." },
  { "   ", MW_URI_ERROR_EMPTY, NULL },
  { "hostb", MW_URI_ERROR_SYNTAX, "“hostb” is not a connection URI such as qemu:///system." },
  { "://hostb/system", MW_URI_ERROR_SYNTAX, NULL },
  { "qemu:///system#top", MW_URI_ERROR_SYNTAX, NULL },
  { "qemu+ssh://host b/system", MW_URI_ERROR_SYNTAX, NULL },
  { "qemu:///", MW_URI_ERROR_SYNTAX, "A QEMU connection ends in /system or /session." },
  { "qemu+ssh://hostb", MW_URI_ERROR_SYNTAX, NULL },
  { "xen:///other", MW_URI_ERROR_SYNTAX, NULL },
  { "test://", MW_URI_ERROR_SYNTAX, NULL },
  { "vmware:///", MW_URI_ERROR_SCHEME, "“vmware” is not a hypervisor MigWizard supports." },
  { "qemu+libssh2://hostb/system", MW_URI_ERROR_SCHEME,
    "“libssh2” is not a connection type MigWizard supports." },
  { "qemu+ssh:///system", MW_URI_ERROR_NEEDS_HOST, "An SSH connection needs a host." },
  { "qemu+tls:///system", MW_URI_ERROR_NEEDS_HOST, "A TLS connection needs a host." },
  { "qemu+tcp:///system", MW_URI_ERROR_NEEDS_HOST, "A TCP connection needs a host." },
  { "qemu+unix://hostb/system", MW_URI_ERROR_LOCAL_HOST,
    "A local connection does not take a host." },
  { "qemu://root@/system", MW_URI_ERROR_LOCAL_HOST, NULL },
  { "qemu://:22/system", MW_URI_ERROR_LOCAL_HOST, NULL },
  { "qemu+ssh://-oProxyCommand=id/system", MW_URI_ERROR_HOST,
    "A host name cannot start with “-”." },
  { "qemu+ssh://host_b/system", MW_URI_ERROR_HOST,
    "“host_b” is not a valid host name or address." },
  { "qemu+ssh://fd00::1/system", MW_URI_ERROR_HOST,
    "An IPv6 address in a URI must be in square brackets." },
  { "qemu+ssh://[hostb]/system", MW_URI_ERROR_HOST, NULL },
  { "qemu+ssh://[fd00::zz]/system", MW_URI_ERROR_HOST, NULL },
  { "qemu+ssh://[fd00::1/system", MW_URI_ERROR_HOST, NULL },
  { "qemu+ssh://999.1.1.1/system", MW_URI_ERROR_HOST, NULL },
  { "qemu+ssh://ho%3Bst/system", MW_URI_ERROR_HOST,
    "“ho;st” is not a valid host name or address." },
  { "qemu+ssh://ro%20ot@hostb/system", MW_URI_ERROR_USER, "A user name cannot contain spaces." },
  { "qemu+ssh://root%3Bid@hostb/system", MW_URI_ERROR_USER, "A user name cannot contain “;”." },
  { "qemu+ssh://-lroot@hostb/system", MW_URI_ERROR_USER, "A user name cannot start with “-”." },
  { "qemu+ssh://hostb:0/system", MW_URI_ERROR_PORT, "The port must be a number from 1 to 65535." },
  { "qemu+ssh://hostb:65536/system", MW_URI_ERROR_PORT, NULL },
  { "qemu+ssh://hostb:/system", MW_URI_ERROR_PORT, NULL },
  { "qemu+ssh://hostb:ssh/system", MW_URI_ERROR_PORT, NULL },
  { "qemu+ssh://[fd00::1]x/system", MW_URI_ERROR_SYNTAX, NULL },
};

static void
test_parse_errors (void)
{
  g_autoptr(GError) error = NULL;
  MwUri *uri;

  uri = mw_uri_parse (NULL, &error);
  g_assert_null (uri);
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (parse_error_cases); i++)
    {
      const ParseErrorCase *c = &parse_error_cases[i];
      g_autofree char *shown = g_strescape (c->uri, NULL);

      /* Escaped: a TAP line must be valid UTF-8 whatever the case feeds the parser. */
      g_test_message ("parsing “%s”", shown);
      uri = mw_uri_parse (c->uri, &error);
      g_assert_null (uri);
      g_assert_error (error, MW_URI_ERROR, (int) c->code);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
      g_clear_error (&error);
    }
}

typedef struct
{
  MwHypervisor hypervisor;
  MwTransport transport;
  const char *user;
  const char *host;
  guint port;
  MwUriError code;
  const char *message;
} BuildErrorCase;

static const BuildErrorCase build_error_cases[] = {
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root", NULL, 0, MW_URI_ERROR_NEEDS_HOST,
    "An SSH connection needs a host." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_TLS, NULL, "", 0, MW_URI_ERROR_NEEDS_HOST,
    "A TLS connection needs a host." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_TCP, NULL, NULL, 0, MW_URI_ERROR_NEEDS_HOST,
    "A TCP connection needs a host." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_LOCAL, NULL, "hostb", 0, MW_URI_ERROR_LOCAL_HOST,
    "A local connection does not take a host." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_LOCAL, "root", NULL, 0, MW_URI_ERROR_LOCAL_HOST,
    "A local connection does not take a user name." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_LOCAL, NULL, NULL, 22, MW_URI_ERROR_LOCAL_HOST,
    "A local connection does not take a port." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL, "foo bar", 0, MW_URI_ERROR_HOST,
    "“foo bar” is not a valid host name or address." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL, "-oProxyCommand=touch /tmp/x", 0,
    MW_URI_ERROR_HOST, "A host name cannot start with “-”." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL, "hostb;reboot", 0, MW_URI_ERROR_HOST, NULL },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, NULL, "hostb$(id)", 0, MW_URI_ERROR_HOST, NULL },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root;id", "hostb", 0, MW_URI_ERROR_USER,
    "A user name cannot contain “;”." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "$(id)", "hostb", 0, MW_URI_ERROR_USER,
    "A user name cannot contain “$”." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "a`b", "hostb", 0, MW_URI_ERROR_USER,
    "A user name cannot contain “`”." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root@evil", "hostb", 0, MW_URI_ERROR_USER,
    "A user name cannot contain “@”." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "ro ot", "hostb", 0, MW_URI_ERROR_USER,
    "A user name cannot contain spaces." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "-oProxyCommand=id", "hostb", 0, MW_URI_ERROR_USER,
    "A user name cannot start with “-”." },
  { MW_HYPERVISOR_QEMU, MW_TRANSPORT_SSH, "root", "hostb", 65536, MW_URI_ERROR_PORT,
    "The port must be a number from 1 to 65535." },
  { (MwHypervisor) 42, MW_TRANSPORT_LOCAL, NULL, NULL, 0, MW_URI_ERROR_SCHEME, NULL },
  { MW_HYPERVISOR_QEMU, (MwTransport) 42, NULL, "hostb", 0, MW_URI_ERROR_SCHEME, NULL },
};

static void
test_build_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (build_error_cases); i++)
    {
      const BuildErrorCase *c = &build_error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;

      g_test_message ("building case %u", i);
      uri = mw_uri_build (c->hypervisor, c->transport, c->user, c->host, c->port, &error);
      g_assert_null (uri);
      g_assert_error (error, MW_URI_ERROR, (int) c->code);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
    }
}

static void
test_validate_host (void)
{
  static const char * const good[] = {
    "hostb", "HostB", "host-b.lab.example.com", "a", "1host", "host.", "192.168.10.12",
    "0.0.0.0", "::1", "fd00::1", "2001:db8:0:0:1:0:0:1", "[fd00::1]", "bücher.example",
    "xn--bcher-kva.example",
  };
  static const char * const bad[] = {
    "foo bar", "host_b", "-host", "host-", "-", "a..b", ".host", "999.1.1.1", "1.2.3",
    "fe80::1%eth0", "fd00::zz", "[hostb]", "host;b", "host|b", "host`id`", "host$x", "host\tb",
    "host/b", "host:22",
    /* 64-character label */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("host “%s”", good[i]);
      g_assert_true (mw_uri_validate_host (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("host “%s”", shown);
      g_assert_false (mw_uri_validate_host (bad[i], &error));
      g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_HOST);
      g_clear_error (&error);
    }

  g_assert_false (mw_uri_validate_host ("foo bar", &error));
  g_assert_cmpstr (error->message, ==, "“foo bar” is not a valid host name or address.");
  g_clear_error (&error);

  g_assert_false (mw_uri_validate_host ("", &error));
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (mw_uri_validate_host (NULL, &error));
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_EMPTY);
  g_clear_error (&error);

  /* 254 characters: longer than DNS allows, though every label is fine. */
  long_name = g_strjoin (".", "a123456789a123456789a123456789a123456789a123456789",
                         "b123456789a123456789a123456789a123456789a123456789",
                         "c123456789a123456789a123456789a123456789a123456789",
                         "d123456789a123456789a123456789a123456789a123456789",
                         "e123456789a123456789a123456789a123456789a123456789", NULL);
  g_assert_cmpuint (strlen (long_name), ==, 254);
  g_assert_false (mw_uri_validate_host (long_name, &error));
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_HOST);
}

static void
test_validate_user (void)
{
  static const char * const good[] = {
    "root", "alice.smith", "svc_backup", "user-1", "jürgen", "Łukasz", "用户",
  };
  static const struct
  {
    const char *user;
    const char *message;
  } bad[] = {
    { "ro ot", "A user name cannot contain spaces." },
    { "root\t", "A user name cannot contain spaces." },
    { "ro\001ot", "A user name cannot contain control characters." },
    { "-root", "A user name cannot start with “-”." },
    { "root;reboot", "A user name cannot contain “;”." },
    { "root&", "A user name cannot contain “&”." },
    { "root|id", "A user name cannot contain “|”." },
    { "$USER", "A user name cannot contain “$”." },
    { "`id`", "A user name cannot contain “`”." },
    { "a'b", "A user name cannot contain “'”." },
    { "a\"b", "A user name cannot contain “\"”." },
    { "a\\b", "A user name cannot contain “\\”." },
    { "a<b", "A user name cannot contain “<”." },
    { "a>b", "A user name cannot contain “>”." },
    { "a(b)", "A user name cannot contain “(”." },
    { "a*", "A user name cannot contain “*”." },
    { "a?", "A user name cannot contain “?”." },
    { "~root", "A user name cannot contain “~”." },
    { "a/b", "A user name cannot contain “/”." },
    { "a:b", "A user name cannot contain “:”." },
    { "a@b", "A user name cannot contain “@”." },
    { "a%b", "A user name cannot contain “%”." },
    { "a#b", "A user name cannot contain “#”." },
    { "a\xe2\x80\x8b" "b", NULL },  /* zero-width space */
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (mw_uri_validate_user (good[i], &error));
      g_assert_no_error (error);
    }

  /* No user means ssh's default: fine. */
  g_assert_true (mw_uri_validate_user (NULL, &error));
  g_assert_true (mw_uri_validate_user ("", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *shown = g_strescape (bad[i].user, NULL);

      g_test_message ("user “%s”", shown);
      g_assert_false (mw_uri_validate_user (bad[i].user, &error));
      g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_USER);
      if (bad[i].message != NULL)
        g_assert_cmpstr (error->message, ==, bad[i].message);
      g_clear_error (&error);
    }

  g_assert_false (mw_uri_validate_user ("ro\xffot", &error));
  g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_USER);
}

static void
test_parse_port (void)
{
  static const struct
  {
    const char *text;
    guint port;
  } good[] = {
    { NULL, 0 }, { "", 0 }, { "  ", 0 }, { "22", 22 }, { " 2222 ", 2222 }, { "1", 1 },
    { "65535", 65535 }, { "016514", 16514 },
  };
  static const char * const bad[] = {
    "0", "65536", "99999999999999999999", "-1", "+22", "22a", "ssh", "2 2", "0x16", "²",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint port = 12345;

      g_assert_true (mw_uri_parse_port (good[i].text, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (port, ==, good[i].port);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint port = 12345;

      g_test_message ("port “%s”", bad[i]);
      g_assert_false (mw_uri_parse_port (bad[i], &port, &error));
      g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_PORT);
      g_assert_cmpstr (error->message, ==, "The port must be a number from 1 to 65535.");
      g_assert_cmpuint (port, ==, 0);
      g_clear_error (&error);
    }
}

static void
test_titles (void)
{
  static const struct
  {
    const char *uri;
    const char *title;
  } cases[] = {
    { "qemu:///system", "QEMU/KVM" },
    { "qemu:///session", "QEMU/KVM user session" },
    { "qemu+ssh://root@hostb/system", "QEMU/KVM: hostb" },
    { "qemu+ssh://root@[fd00::1]:2222/system", "QEMU/KVM: fd00::1" },
    { "qemu+ssh://alice@hostb/session", "QEMU/KVM user session: hostb" },
    { "qemu+ssh://xn--bcher-kva.example/system", "QEMU/KVM: bücher.example" },
    { "xen:///", "Xen" },
    { "lxc:///", "LXC" },
    { "test:///default", "Test: default" },
    { "test:///srv/nodes/lab.xml", "Test: lab" },
    { "not a uri", "not a uri" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = mw_uri_get_title (cases[i].uri);

      g_assert_cmpstr (title, ==, cases[i].title);
    }
}

static void
test_is_remote (void)
{
  g_assert_false (mw_uri_is_remote ("qemu:///system"));
  g_assert_false (mw_uri_is_remote ("test:///default"));
  g_assert_true (mw_uri_is_remote ("qemu+ssh://hostb/system"));
  g_assert_true (mw_uri_is_remote ("qemu://hostb/system"));
  g_assert_false (mw_uri_is_remote ("garbage"));
  g_assert_false (mw_uri_is_remote (""));
}

/* Queries libvirt would read as "do not check the host key" or "run this program" are refused
 * by name, however they are spelled; harmless ones pass. */
static void
test_unsafe_query (void)
{
  static const char * const unsafe[] = {
    "qemu+ssh://root@hostb/system?no_verify=1",
    "qemu+ssh://root@hostb/system?no_tty=1&No_Verify=2",
    "qemu+ssh://root@hostb/system?no%5Fverify=1",
    "qemu+ssh://root@hostb/system?keyfile=/k;no_verify=1",
    "qemu+libssh://root@hostb/system?known_hosts_verify=ignore",
    "qemu+ssh://root@hostb/system?known_hosts_verify=auto",
    "qemu+ext:///system?command=/tmp/evil",
    "qemu+ssh://root@hostb/system?netcat=/tmp/evil",
    "qemu+ssh://root@hostb/system?COMMAND=x",
    "qemu+tls://hostb/system?no_verify",
  };
  static const char * const safe[] = {
    "qemu+ssh://root@hostb/system",
    "qemu+ssh://root@hostb/system?no_tty=1",
    "qemu+ssh://root@hostb/system?no_verify=0",
    "qemu+libssh://root@hostb/system?known_hosts_verify=normal&keyfile=/root/.ssh/id",
    "qemu+ssh://root@hostb/system?socket=/run/libvirt/libvirt-sock&proxy=native",
    "qemu:///system",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unsafe); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(MwUri) uri = NULL;

      g_test_message ("refused? %s", unsafe[i]);
      g_assert_false (mw_uri_check_query (unsafe[i], &error));
      g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_UNSAFE);
      g_assert_nonnull (strstr (error->message, "remove it from the URI"));
      /* The parser everything typed goes through says the same. */
      uri = mw_uri_parse (unsafe[i], &parse_error);
      g_assert_null (uri);
      g_assert_error (parse_error, MW_URI_ERROR, MW_URI_ERROR_UNSAFE);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (mw_uri_check_query ("qemu+ssh://h/system?no_tty=1&no_verify=1", &error));
    g_assert_cmpstr (error->message, ==, "The URI’s “no_verify=1” turns off the check of the "
                     "host’s identity. MigWizard does not connect that way: remove it from the "
                     "URI.");
  }
  for (guint i = 0; i < G_N_ELEMENTS (safe); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("accepted? %s", safe[i]);
      g_assert_true (mw_uri_check_query (safe[i], &error));
      g_assert_no_error (error);
    }
}

/* The shipped nodes, found through $MW_DEMO_DIR as the test environment sets it. */
static void
test_demo_uris (void)
{
  const char *dir = g_getenv ("MW_DEMO_DIR");
  g_auto(GStrv) uris = mw_uri_get_demo_uris ();
  g_autofree char *hosta = NULL;
  g_autofree char *hostb = NULL;
  g_autofree char *title = NULL;

  g_assert_nonnull (dir);
  hosta = g_strconcat ("test://", dir, "/hosta.xml", NULL);
  hostb = g_strconcat ("test://", dir, "/hostb.xml", NULL);

  g_assert_cmpuint (g_strv_length (uris), ==, 2);
  g_assert_cmpstr (uris[0], ==, hosta);
  g_assert_cmpstr (uris[1], ==, hostb);

  g_assert_true (mw_uri_is_demo (uris[0]));
  g_assert_true (mw_uri_is_demo (uris[1]));
  g_assert_false (mw_uri_is_demo ("test:///default"));
  g_assert_false (mw_uri_is_demo ("test:///elsewhere/hosta.xml"));
  g_assert_false (mw_uri_is_demo ("qemu:///system"));

  title = mw_uri_get_title (uris[0]);
  g_assert_cmpstr (title, ==, "Demo: hosta");
  g_clear_pointer (&title, g_free);
  title = mw_uri_get_title (uris[1]);
  g_assert_cmpstr (title, ==, "Demo: hostb");
}

/* Only *.xml, sorted, absolute and escaped, whatever the directory holds. */
static void
test_demo_uris_other_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("MW_DEMO_DIR"));
  g_autofree char *dir = g_dir_make_tmp ("mw-demo-XXXXXX", &error);
  g_autofree char *spaced = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) uris = NULL;
  const char * const files[] = { "zeta.xml", "alpha.xml", "notes.txt", "my host.xml" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_file_set_contents (path, "<node/>", -1, &error);
      g_assert_no_error (error);
    }

  g_setenv ("MW_DEMO_DIR", dir, TRUE);
  uris = mw_uri_get_demo_uris ();

  g_assert_cmpuint (g_strv_length (uris), ==, 3);
  expected = g_strconcat ("test://", dir, "/alpha.xml", NULL);
  g_assert_cmpstr (uris[0], ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat ("test://", dir, "/my%20host.xml", NULL);
  g_assert_cmpstr (uris[1], ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strconcat ("test://", dir, "/zeta.xml", NULL);
  g_assert_cmpstr (uris[2], ==, expected);

  for (guint i = 0; uris[i] != NULL; i++)
    g_assert_true (mw_uri_is_demo (uris[i]));
  spaced = mw_uri_get_title (uris[1]);
  g_assert_cmpstr (spaced, ==, "Demo: my host");

  g_setenv ("MW_DEMO_DIR", saved, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Bad input found by tests/fuzz: what the dialogs and remote hosts may hand the parser. */
static void
test_uri_hostile_text (void)
{
  static const char *const hosts[] = {
    "host\u200bb", "host\u00a0b", "host\u2028b", "\u202eevil", "host\tb",
  };
  static const char *const uris[] = {
    "qemu:///system?\xff", "qemu:///system?a\x01b", "test:///a%FFb.xml", "test:///a%0Ab.xml",
  };
  g_autofree char *long_text = g_strnfill (65536, 'a');
  g_autofree char *long_uri = g_strconcat ("qemu+ssh://", long_text, "/system", NULL);
  g_autofree char *title = NULL;

  /* IDNA would map a zero-width space away and reach another host than the one shown. */
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("host %u", i);
      g_assert_false (mw_uri_validate_host (hosts[i], &error));
      g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_HOST);
    }
  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwUri) uri = mw_uri_parse (uris[i], &error);
      /* Escaped: a TAP line must be valid UTF-8, and these bytes are not. */
      g_autofree char *shown = g_strescape (uris[i], NULL);

      g_test_message ("uri %s", shown);
      g_assert_null (uri);
      g_assert_error (error, MW_URI_ERROR, MW_URI_ERROR_SYNTAX);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  /* Input is quoted cut short and as valid text, in errors and titles alike. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (mw_uri_validate_host (long_text, &error));
    g_assert_cmpuint (strlen (error->message), <, 400);
  }
  title = mw_uri_get_title ("qemu:///\xff\xfe");
  g_assert_true (g_utf8_validate (title, -1, NULL));
  g_free (title);
  title = mw_uri_get_title (long_uri);
  g_assert_cmpuint (strlen (title), <, 400);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mw/uri/build-round-trip", test_build_round_trip);
  g_test_add_func ("/mw/uri/parse", test_parse);
  g_test_add_func ("/mw/uri/parse-errors", test_parse_errors);
  g_test_add_func ("/mw/uri/build-errors", test_build_errors);
  g_test_add_func ("/mw/uri/validate-host", test_validate_host);
  g_test_add_func ("/mw/uri/validate-user", test_validate_user);
  g_test_add_func ("/mw/uri/parse-port", test_parse_port);
  g_test_add_func ("/mw/uri/titles", test_titles);
  g_test_add_func ("/mw/uri/is-remote", test_is_remote);
  g_test_add_func ("/mw/uri/unsafe-query", test_unsafe_query);
  g_test_add_func ("/mw/uri/demo-uris", test_demo_uris);
  g_test_add_func ("/mw/uri/demo-uris-other-dir", test_demo_uris_other_dir);
  g_test_add_func ("/mw/uri/hostile-text", test_uri_hostile_text);

  return g_test_run ();
}
