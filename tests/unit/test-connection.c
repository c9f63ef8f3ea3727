/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-connection.c: MwConnection against libvirt's test driver.
 *
 * test:///default has one running domain, "test". The demo nodes (data/demo, via MW_DEMO_DIR)
 * are private to each connection, so changes made through one never leak into another test.
 */

#include "config.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "mw-connection-private.h"
#include "mw-core-enums.h"
#include "mw-libvirt.h"
#include "mw-test-core.h"
#include "mw-uri.h"

#define DEFAULT_URI "test:///default"

typedef struct
{
  gboolean done;
  gboolean success;
  GError *error;
} ConnectWait;

static void
on_connect_done_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ConnectWait *wait = user_data;

  wait->success = mw_connection_connect_finish (MW_CONNECTION (source_object), result,
                                                &wait->error);
  wait->done = TRUE;
}

/* Connects and waits; returns the outcome with the error, if any, in *error. */
static gboolean
connect_and_wait (MwConnection  *connection,
                  GCancellable  *cancellable,
                  GError       **error)
{
  ConnectWait wait = { 0 };

  mw_connection_connect_async (connection, cancellable, on_connect_done_cb, &wait);
  mw_test_wait_until (wait.done);

  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.success;
}

static char *
get_demo_uri (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MW_DEMO_DIR"), name, NULL);

  return g_strconcat ("test://", path, NULL);
}

static guint
count_in_state (MwConnection  *connection,
                MwDomainState  state)
{
  GListModel *domains = mw_connection_get_domains (connection);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (domains); i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (domains, i);

      if (mw_domain_get_state (domain) == state)
        count++;
    }

  return count;
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
on_state_notify_record_cb (GObject    *object,
                           GParamSpec *pspec,
                           gpointer    user_data)
{
  GArray *states = user_data;
  MwConnectionState state = mw_connection_get_state (MW_CONNECTION (object));

  g_array_append_val (states, state);
}

static void
on_items_changed_count_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_default (void)
{
  g_autoptr(MwConnection) connection = mw_connection_new (DEFAULT_URI);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (MwConnectionState));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) domains_property = NULL;
  GListModel *domains = mw_connection_get_domains (connection);
  guint n_domains_notifies = 0;
  guint n_domains_value = 0;
  MwDomain *domain;

  g_assert_cmpstr (mw_connection_get_uri (connection), ==, DEFAULT_URI);
  g_assert_cmpstr (mw_connection_get_title (connection), ==, "Test: default");
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_null (mw_connection_get_virconnect (connection));
  g_assert_null (mw_connection_get_hostname (connection));
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 0);
  g_assert_true (g_list_model_get_item_type (domains) == MW_TYPE_DOMAIN);

  g_signal_connect (connection, "notify::state", G_CALLBACK (on_state_notify_record_cb), states);
  g_signal_connect (connection, "notify::n-domains", G_CALLBACK (on_notify_count_cb),
                    &n_domains_notifies);

  g_assert_true (connect_and_wait (connection, NULL, &error));
  g_assert_no_error (error);

  /* Exactly two state changes: connecting, then connected. */
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, MwConnectionState, 0), ==,
                   MW_CONNECTION_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (states, MwConnectionState, 1), ==,
                   MW_CONNECTION_STATE_CONNECTED);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_CONNECTED);
  g_assert_null (mw_connection_get_error_message (connection));
  g_assert_nonnull (mw_connection_get_virconnect (connection));
  g_assert_nonnull (mw_connection_get_hostname (connection));
  g_assert_cmpuint (n_domains_notifies, ==, 1);

  g_object_get (connection, "domains", &domains_property, "n-domains", &n_domains_value, NULL);
  g_assert_true (domains_property == domains);
  g_assert_cmpuint (n_domains_value, ==, 1);

  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 1);
  domain = mw_connection_find_domain (connection, "test");
  g_assert_nonnull (domain);
  g_assert_cmpstr (mw_domain_get_name (domain), ==, "test");
  g_assert_cmpstr (mw_domain_get_uuid (domain), ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_RUNNING);
  g_assert_true (mw_domain_is_active (domain));
  g_assert_true (mw_domain_get_persistent (domain));
  g_assert_cmpuint (mw_domain_get_vcpus (domain), ==, 2);
  g_assert_cmpuint (mw_domain_get_max_memory_kib (domain), ==, 8388608);
  g_assert_true (mw_domain_get_connection (domain) == connection);
  g_assert_null (mw_connection_find_domain (connection, "nope"));

  /* Connecting again while connected succeeds at once and changes nothing. */
  g_assert_true (connect_and_wait (connection, NULL, &error));
  g_assert_cmpuint (states->len, ==, 2);

  mw_connection_disconnect (connection);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 0);
  g_assert_null (mw_connection_get_virconnect (connection));
  g_assert_null (mw_connection_get_hostname (connection));
  g_assert_null (mw_connection_get_error_message (connection));
  g_assert_cmpuint (n_domains_notifies, ==, 2);

  /* Disconnecting twice is harmless. */
  mw_connection_disconnect (connection);
  g_assert_cmpuint (states->len, ==, 3);

  g_signal_handlers_disconnect_by_data (connection, states);
  g_signal_handlers_disconnect_by_data (connection, &n_domains_notifies);
  g_clear_object (&domains_property);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

typedef struct
{
  const char *file;
  const char *title;
  guint n_domains;
  guint n_running;
  guint n_paused;
  guint n_shutoff;
} DemoCase;

static void
test_demo_node (gconstpointer data)
{
  const DemoCase *demo = data;
  g_autofree char *uri = get_demo_uri (demo->file);
  g_autoptr(MwConnection) connection = mw_connection_new (uri);
  g_autoptr(GError) error = NULL;
  GListModel *domains = mw_connection_get_domains (connection);

  g_assert_cmpstr (mw_connection_get_title (connection), ==, demo->title);

  g_assert_true (connect_and_wait (connection, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, demo->n_domains);
  g_assert_cmpuint (count_in_state (connection, MW_DOMAIN_STATE_RUNNING), ==, demo->n_running);
  g_assert_cmpuint (count_in_state (connection, MW_DOMAIN_STATE_PAUSED), ==, demo->n_paused);
  g_assert_cmpuint (count_in_state (connection, MW_DOMAIN_STATE_SHUTOFF), ==, demo->n_shutoff);

  for (guint i = 0; i < g_list_model_get_n_items (domains); i++)
    {
      g_autoptr(MwDomain) domain = g_list_model_get_item (domains, i);

      g_assert_true (mw_domain_get_persistent (domain));
      g_assert_cmpuint (mw_domain_get_vcpus (domain), >=, 1);
      g_assert_cmpuint (mw_domain_get_max_memory_kib (domain), >=, 1024 * 1024);
      g_assert_cmpuint (strlen (mw_domain_get_uuid (domain)), ==, VIR_UUID_STRING_BUFLEN - 1);
    }

  mw_connection_disconnect (connection);
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

static void
test_demo_details (void)
{
  g_autofree char *uri = get_demo_uri ("hosta.xml");
  g_autoptr(MwConnection) connection = mw_connection_new (uri);
  g_autoptr(GError) error = NULL;
  MwDomain *domain;

  g_assert_true (connect_and_wait (connection, NULL, &error));

  domain = mw_connection_find_domain (connection, "db01");
  g_assert_nonnull (domain);
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_RUNNING);
  g_assert_cmpuint (mw_domain_get_vcpus (domain), ==, 4);
  g_assert_cmpuint (mw_domain_get_max_memory_kib (domain), ==, 16 * 1024 * 1024);

  /* mail01 runs with less memory than its maximum. */
  domain = mw_connection_find_domain (connection, "mail01");
  g_assert_cmpuint (mw_domain_get_memory_kib (domain), ==, 3 * 1024 * 1024);
  g_assert_cmpuint (mw_domain_get_max_memory_kib (domain), ==, 4 * 1024 * 1024);

  domain = mw_connection_find_domain (connection, "build01");
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_PAUSED);
  g_assert_true (mw_domain_is_active (domain));

  domain = mw_connection_find_domain (connection, "win-test");
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_SHUTOFF);
  g_assert_false (mw_domain_is_active (domain));

  mw_connection_disconnect (connection);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

static const char new_domain_xml[] =
  "<domain type='test'>"
  "  <name>%s</name>"
  "  <memory unit='KiB'>1048576</memory>"
  "  <vcpu>%u</vcpu>"
  "  <os><type arch='x86_64'>hvm</type></os>"
  "</domain>";

static void
test_events (void)
{
  g_autofree char *uri = get_demo_uri ("hostb.xml");
  g_autoptr(MwConnection) connection = mw_connection_new (uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  GListModel *domains = mw_connection_get_domains (connection);
  virConnectPtr conn;
  virDomainPtr libvirt_domain;
  MwDomain *domain;
  guint state_notifies = 0;

  g_assert_true (connect_and_wait (connection, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 5);
  conn = mw_connection_get_virconnect (connection);

  /* Defined: appears, shut off and persistent. */
  xml = g_strdup_printf (new_domain_xml, "new01", 3);
  libvirt_domain = virDomainDefineXML (conn, xml);
  g_assert_nonnull (libvirt_domain);
  mw_test_wait_until (mw_connection_find_domain (connection, "new01") != NULL);
  domain = mw_connection_find_domain (connection, "new01");
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 6);
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_SHUTOFF);
  g_assert_cmpuint (mw_domain_get_vcpus (domain), ==, 3);
  g_assert_true (mw_domain_get_persistent (domain));

  /* Started, paused, destroyed: the same object follows, with notifications. */
  g_signal_connect (domain, "notify::state", G_CALLBACK (on_notify_count_cb), &state_notifies);
  g_assert_cmpint (virDomainCreate (libvirt_domain), ==, 0);
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_RUNNING);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpint (virDomainSuspend (libvirt_domain), ==, 0);
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_PAUSED);
  g_assert_cmpint (virDomainDestroy (libvirt_domain), ==, 0);
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_SHUTOFF);
  g_assert_cmpuint (state_notifies, ==, 3);
  g_assert_true (mw_connection_find_domain (connection, "new01") == domain);
  g_signal_handlers_disconnect_by_data (domain, &state_notifies);

  /* Undefined: disappears. */
  g_assert_cmpint (virDomainUndefine (libvirt_domain), ==, 0);
  virDomainFree (libvirt_domain);
  mw_test_wait_until (mw_connection_find_domain (connection, "new01") == NULL);
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 5);

  /* A transient domain: appears running and not persistent, goes when destroyed. */
  g_clear_pointer (&xml, g_free);
  xml = g_strdup_printf (new_domain_xml, "transient01", 1);
  libvirt_domain = virDomainCreateXML (conn, xml, 0);
  g_assert_nonnull (libvirt_domain);
  mw_test_wait_until (mw_connection_find_domain (connection, "transient01") != NULL);
  domain = mw_connection_find_domain (connection, "transient01");
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_RUNNING);
  g_assert_false (mw_domain_get_persistent (domain));
  g_assert_cmpint (virDomainDestroy (libvirt_domain), ==, 0);
  virDomainFree (libvirt_domain);
  mw_test_wait_until (mw_connection_find_domain (connection, "transient01") == NULL);

  /* A domain that already existed changes state too. */
  domain = mw_connection_find_domain (connection, "backup01");
  libvirt_domain = virDomainLookupByName (conn, "backup01");
  g_assert_cmpint (virDomainCreate (libvirt_domain), ==, 0);
  virDomainFree (libvirt_domain);
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_RUNNING);

  mw_connection_disconnect (connection);
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

/* From here on the connection hears no lifecycle event, as when libvirt sends none: a
 * migration's confirm step removes the source's domain after its STOPPED event without an
 * UNDEFINED one, and a re-read racing that removal still finds it, shut off. */
static void
miss_events (MwConnection *connection)
{
  g_assert_cmpint (connection->lifecycle_callback_id, >=, 0);
  g_assert_cmpint (virConnectDomainEventDeregisterAny (connection->conn,
                                                       connection->lifecycle_callback_id), ==, 0);
  connection->lifecycle_callback_id = -1;
}

static void
hear_events_again (MwConnection *connection)
{
  connection->lifecycle_callback_id = mw_connection_watch_domains (connection->conn,
                                                                   connection->context);
  g_assert_cmpint (connection->lifecycle_callback_id, >=, 0);
}

/* Defines a shut-off domain through other, a second connection to the same node. */
static void
define_behind (virConnectPtr  other,
               const char    *name)
{
  g_autofree char *xml = g_strdup_printf (new_domain_xml, name, 1);
  virDomainPtr domain = virDomainDefineXML (other, xml);

  g_assert_nonnull (domain);
  virDomainFree (domain);
}

static void
undefine_behind (virConnectPtr  other,
                 const char    *name)
{
  virDomainPtr domain = virDomainLookupByName (other, name);

  g_assert_nonnull (domain);
  if (virDomainIsActive (domain) == 1)
    g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  virDomainFree (domain);
}

/* A domain that left the host while its events were missed stays listed, shut off, until the
 * list is read again from the host: mw_connection_reload. test:///default is one node shared by
 * every connection of the process, so a second connection changes it behind the first's back. */
static void
test_reload_after_missed_events (void)
{
  g_autoptr(MwConnection) connection = mw_connection_new (DEFAULT_URI);
  g_autoptr(GError) error = NULL;
  virConnectPtr other = virConnectOpen (DEFAULT_URI);
  GListModel *domains = mw_connection_get_domains (connection);
  MwDomain *stays;
  virDomainPtr libvirt_domain;

  g_assert_nonnull (other);
  g_assert_true (connect_and_wait (connection, NULL, &error));
  define_behind (other, "ghost01");
  define_behind (other, "stays01");
  mw_test_wait_until (mw_connection_find_domain (connection, "ghost01") != NULL
                      && mw_connection_find_domain (connection, "stays01") != NULL);
  stays = mw_connection_find_domain (connection, "stays01");

  miss_events (connection);
  undefine_behind (other, "ghost01");
  define_behind (other, "new01");
  libvirt_domain = virDomainLookupByName (other, "stays01");
  g_assert_cmpint (virDomainCreate (libvirt_domain), ==, 0);
  virDomainFree (libvirt_domain);
  mw_test_iterate_for (300);

  /* What the issue saw: a guest `virsh list --all` no longer shows, listed as shut off. */
  g_assert_nonnull (mw_connection_find_domain (connection, "ghost01"));
  g_assert_cmpint (mw_domain_get_state (mw_connection_find_domain (connection, "ghost01")), ==,
                   MW_DOMAIN_STATE_SHUTOFF);
  g_assert_null (mw_connection_find_domain (connection, "new01"));

  mw_connection_reload (connection);
  mw_test_wait_until (mw_connection_find_domain (connection, "ghost01") == NULL);
  /* The whole list is the host's again: the new one joined, the other changed in place. */
  g_assert_nonnull (mw_connection_find_domain (connection, "new01"));
  g_assert_true (mw_connection_find_domain (connection, "stays01") == stays);
  g_assert_cmpint (mw_domain_get_state (stays), ==, MW_DOMAIN_STATE_RUNNING);
  g_assert_cmpuint (g_list_model_get_n_items (domains), ==, 3);

  undefine_behind (other, "stays01");
  undefine_behind (other, "new01");
  virConnectClose (other);
  mw_connection_disconnect (connection);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

/* An UNDEFINED event re-reads the whole list, so a domain whose own event was missed goes with
 * the next one that is heard. */
static void
test_undefined_event_rereads_all (void)
{
  g_autoptr(MwConnection) connection = mw_connection_new (DEFAULT_URI);
  g_autoptr(GError) error = NULL;
  virConnectPtr other = virConnectOpen (DEFAULT_URI);

  g_assert_nonnull (other);
  g_assert_true (connect_and_wait (connection, NULL, &error));
  define_behind (other, "ghost01");
  define_behind (other, "ghost02");
  mw_test_wait_until (mw_connection_find_domain (connection, "ghost01") != NULL
                      && mw_connection_find_domain (connection, "ghost02") != NULL);

  miss_events (connection);
  undefine_behind (other, "ghost01");
  mw_test_iterate_for (300);
  g_assert_nonnull (mw_connection_find_domain (connection, "ghost01"));

  hear_events_again (connection);
  undefine_behind (other, "ghost02");
  mw_test_wait_until (mw_connection_find_domain (connection, "ghost02") == NULL);
  g_assert_null (mw_connection_find_domain (connection, "ghost01"));
  g_assert_cmpuint (g_list_model_get_n_items (mw_connection_get_domains (connection)), ==, 1);

  virConnectClose (other);
  mw_connection_disconnect (connection);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

typedef struct
{
  gboolean done;
  gboolean success;
  GError *error;
} ActionWait;

static void
on_action_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ActionWait *wait = user_data;

  wait->success = mw_domain_run_action_finish (MW_DOMAIN (source_object), result, &wait->error);
  wait->done = TRUE;
}

/* Runs action on domain and waits for it; FALSE with the error in *error. */
static gboolean
run_action (MwDomain        *domain,
            MwDomainAction   action,
            GError         **error)
{
  ActionWait wait = { 0 };

  mw_domain_run_action_async (domain, action, NULL, on_action_done_cb, &wait);
  mw_test_wait_until (wait.done);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.success;
}

static void
assert_actions (MwDomain   *domain,
                const char *expected)
{
  static const char * const names[] = { "start", "shutdown", "reboot", "force-off", "pause",
                                        "resume" };
  g_autoptr(GString) allowed = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (mw_domain_can_run_action (domain, i))
      g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? " " : "", names[i]);
  g_assert_cmpstr (allowed->str, ==, expected);
}

/* Each life-cycle action through libvirt's test driver, followed by the list. */
static void
test_domain_actions (void)
{
  g_autofree char *uri = get_demo_uri ("hostb.xml");
  g_autoptr(MwConnection) connection = mw_connection_new (uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  g_autoptr(MwDomain) kept = NULL;
  MwDomain *domain;

  g_assert_true (connect_and_wait (connection, NULL, &error));
  domain = mw_connection_find_domain (connection, "backup01");
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_SHUTOFF);
  assert_actions (domain, "start");
  sentence = mw_domain_describe_actions (domain);
  g_assert_cmpstr (sentence, ==, "backup01 is shut off: it can only be started.");

  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_START, &error));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_RUNNING);
  assert_actions (domain, "shutdown reboot force-off pause");

  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_PAUSE, &error));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_PAUSED);
  assert_actions (domain, "force-off resume");

  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_RESUME, &error));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_RUNNING);

  /* The test driver reboots at once; the domain runs on. */
  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_REBOOT, &error));
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_RUNNING);

  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_SHUTDOWN, &error));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_SHUTOFF);

  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_START, &error));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_RUNNING);
  g_assert_true (run_action (domain, MW_DOMAIN_ACTION_FORCE_OFF, &error));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_SHUTOFF);
  g_assert_no_error (error);

  /* Listed shut off while the host runs it (its events missed): libvirt refuses in its own
   * words, and the list reads the domain again. */
  miss_events (connection);
  {
    virDomainPtr libvirt_domain = virDomainLookupByName (connection->conn, "backup01");

    g_assert_cmpint (virDomainCreate (libvirt_domain), ==, 0);
    virDomainFree (libvirt_domain);
  }
  g_assert_cmpint (mw_domain_get_state (domain), ==, MW_DOMAIN_STATE_SHUTOFF);
  g_assert_false (run_action (domain, MW_DOMAIN_ACTION_START, &error));
  g_assert_true (error->domain == MW_LIBVIRT_ERROR);
  g_assert_nonnull (strstr (error->message, "is already running"));
  mw_test_wait_until (mw_domain_get_state (domain) == MW_DOMAIN_STATE_RUNNING);
  g_clear_error (&error);

  /* Not connected: said without asking libvirt. */
  kept = g_object_ref (domain);
  mw_connection_disconnect (connection);
  g_assert_false (run_action (kept, MW_DOMAIN_ACTION_FORCE_OFF, &error));
  g_assert_error (error, MW_CONNECTION_ERROR, MW_CONNECTION_ERROR_NOT_CONNECTED);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

/* A burst of events costs a couple of re-reads, not one model change per domain. */
static void
test_event_burst (void)
{
  g_autofree char *uri = get_demo_uri ("hostb.xml");
  g_autoptr(MwConnection) connection = mw_connection_new (uri);
  g_autoptr(GError) error = NULL;
  GListModel *domains = mw_connection_get_domains (connection);
  virConnectPtr conn;
  guint items_changed = 0;
  const guint n_new = 50;

  g_assert_true (connect_and_wait (connection, NULL, &error));
  conn = mw_connection_get_virconnect (connection);
  g_signal_connect (domains, "items-changed", G_CALLBACK (on_items_changed_count_cb),
                    &items_changed);

  for (guint i = 0; i < n_new; i++)
    {
      g_autofree char *name = g_strdup_printf ("burst%02u", i);
      g_autofree char *xml = g_strdup_printf (new_domain_xml, name, 1);
      virDomainPtr libvirt_domain = virDomainDefineXML (conn, xml);

      g_assert_nonnull (libvirt_domain);
      virDomainFree (libvirt_domain);
    }

  mw_test_wait_until (g_list_model_get_n_items (domains) == 5 + n_new);
  /* The first event starts a re-read at once; the other 49 wait and go in one more. */
  g_assert_cmpuint (items_changed, <=, 3);

  for (guint i = 0; i < n_new; i++)
    {
      g_autofree char *name = g_strdup_printf ("burst%02u", i);

      g_assert_nonnull (mw_connection_find_domain (connection, name));
    }

  g_signal_handlers_disconnect_by_data (domains, &items_changed);
  mw_connection_disconnect (connection);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

static void
test_failures (void)
{
  static const char * const uris[] = {
    "bogus:///nothing",                    /* no such driver */
    "test:///nonexistent/node.xml",        /* no such file */
    "qemu+tcp://127.0.0.1:1/system",       /* nobody listens */
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(MwConnection) connection = mw_connection_new (uris[i]);
      g_autoptr(GError) error = NULL;
      const char *message;

      g_test_message ("connecting to %s", uris[i]);
      g_assert_false (connect_and_wait (connection, NULL, &error));
      g_assert_error (error, MW_LIBVIRT_ERROR, error->code);
      g_assert_cmpint (error->code, !=, VIR_ERR_OK);

      g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_FAILED);
      message = mw_connection_get_error_message (connection);
      g_assert_nonnull (message);
      g_assert_cmpstr (message, ==, error->message);
      g_assert_null (mw_connection_get_virconnect (connection));
      g_assert_cmpuint (g_list_model_get_n_items (mw_connection_get_domains (connection)), ==, 0);

      /* Disconnect does nothing to a failed connection; a retry fails the same way. */
      mw_connection_disconnect (connection);
      g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_FAILED);
      g_clear_error (&error);
      g_assert_false (connect_and_wait (connection, NULL, &error));
      g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_FAILED);

      g_assert_finalize_object (g_steal_pointer (&connection));
    }
}

static void
test_busy (void)
{
  g_autoptr(MwConnection) connection = mw_connection_new (DEFAULT_URI);
  ConnectWait first = { 0 };
  ConnectWait second = { 0 };

  mw_connection_connect_async (connection, NULL, on_connect_done_cb, &first);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_CONNECTING);
  mw_connection_connect_async (connection, NULL, on_connect_done_cb, &second);

  mw_test_wait_until (first.done && second.done);
  g_assert_true (first.success);
  g_assert_no_error (first.error);
  g_assert_false (second.success);
  g_assert_error (second.error, MW_CONNECTION_ERROR, MW_CONNECTION_ERROR_BUSY);
  g_clear_error (&second.error);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_CONNECTED);

  mw_connection_disconnect (connection);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

static void
test_cancel (void)
{
  g_autoptr(MwConnection) connection = mw_connection_new (DEFAULT_URI);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (connect_and_wait (connection, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_null (mw_connection_get_error_message (connection));
  g_assert_null (mw_connection_get_virconnect (connection));
  g_assert_cmpuint (g_list_model_get_n_items (mw_connection_get_domains (connection)), ==, 0);

  /* Still usable afterwards. */
  g_clear_error (&error);
  g_assert_true (connect_and_wait (connection, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (mw_connection_get_domains (connection)), ==, 1);

  mw_connection_disconnect (connection);
  g_assert_finalize_object (g_steal_pointer (&connection));
}

/* A host that takes the TCP connection and never answers (a listening socket nobody accepts
 * from): libvirt waits for it with no end. Cancelling lets the attempt go at once, not when
 * libvirt gives up; the worker's late result, once the host goes, is closed and dropped. */
static void
test_cancel_silent_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MwConnection) connection = NULL;
  g_autofree char *uri = NULL;
  ConnectWait wait = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("qemu+tcp://127.0.0.1:%u/system",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  connection = mw_connection_new (uri);
  mw_connection_connect_async (connection, cancellable, on_connect_done_cb, &wait);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_CONNECTING);
  g_cancellable_cancel (cancellable);
  mw_test_wait_until (mw_connection_get_state (connection) != MW_CONNECTION_STATE_CONNECTING);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_null (mw_connection_get_error_message (connection));
  g_assert_false (wait.done);  /* libvirt still waits for the host */

  /* The host goes: libvirt's open fails, and the caller hears "cancelled". */
  g_assert_true (g_socket_close (listener, &error));
  mw_test_wait_until (wait.done);
  g_assert_false (wait.success);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);
  g_assert_cmpint (mw_connection_get_state (connection), ==, MW_CONNECTION_STATE_DISCONNECTED);
  g_assert_null (mw_connection_get_error_message (connection));
  g_assert_finalize_object (g_steal_pointer (&connection));
}

/* The caller may drop its reference while the worker runs: the task keeps the object alive
 * until the result is in, and the open libvirt connection is closed when it goes. */
static void
test_unref_while_connecting (void)
{
  MwConnection *connection = mw_connection_new (DEFAULT_URI);

  g_object_add_weak_pointer (G_OBJECT (connection), (gpointer *) &connection);
  mw_connection_connect_async (connection, NULL, NULL, NULL);
  g_object_unref (connection);
  g_assert_nonnull (connection);

  mw_test_wait_until (connection == NULL);
}

/* Dropping a connected object closes its libvirt connection without a disconnect call. */
static void
test_unref_while_connected (void)
{
  g_autofree char *uri = get_demo_uri ("hosta.xml");
  MwConnection *connection = mw_connection_new (uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) domains = NULL;
  g_autoptr(MwDomain) domain = NULL;

  g_assert_true (connect_and_wait (connection, NULL, &error));
  domains = g_object_ref (mw_connection_get_domains (connection));
  domain = g_list_model_get_item (domains, 0);
  g_assert_true (mw_domain_get_connection (domain) == connection);

  g_assert_finalize_object (connection);
  /* The domain outlives its connection and says so. */
  g_assert_null (mw_domain_get_connection (domain));
}

static void
test_domain_state_strings (void)
{
  GEnumClass *enum_class = g_type_class_ref (MW_TYPE_DOMAIN_STATE);

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      const char *text = mw_domain_state_to_string (enum_class->values[i].value);

      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
    }
  g_assert_cmpstr (mw_domain_state_to_string (MW_DOMAIN_STATE_SHUTOFF), ==, "Shut off");
  g_assert_cmpstr (mw_domain_state_to_string (MW_DOMAIN_STATE_RUNNING), ==, "Running");

  g_type_class_unref (enum_class);
}

static void
test_domain_update (void)
{
  MwDomainInfo info = { 0 };
  g_autoptr(MwDomain) domain = NULL;
  guint state_notifies = 0;
  guint active_notifies = 0;
  guint vcpus_notifies = 0;

  info.name = g_strdup ("web01");
  info.uuid = g_strdup ("00000000-0000-0000-0000-000000000001");
  info.state = MW_DOMAIN_STATE_SHUTOFF;
  info.vcpus = 2;
  info.memory_kib = 1024;
  info.max_memory_kib = 2048;
  info.persistent = TRUE;

  domain = mw_domain_new (NULL, &info);
  g_assert_null (mw_domain_get_connection (domain));
  g_signal_connect (domain, "notify::state", G_CALLBACK (on_notify_count_cb), &state_notifies);
  g_signal_connect (domain, "notify::active", G_CALLBACK (on_notify_count_cb), &active_notifies);
  g_signal_connect (domain, "notify::vcpus", G_CALLBACK (on_notify_count_cb), &vcpus_notifies);

  /* Nothing changed: nothing notified. */
  mw_domain_update (domain, &info);
  g_assert_cmpuint (state_notifies + active_notifies + vcpus_notifies, ==, 0);

  info.state = MW_DOMAIN_STATE_RUNNING;
  mw_domain_update (domain, &info);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpuint (active_notifies, ==, 1);
  g_assert_cmpuint (vcpus_notifies, ==, 0);

  /* Running to paused: still active. */
  info.state = MW_DOMAIN_STATE_PAUSED;
  info.vcpus = 4;
  mw_domain_update (domain, &info);
  g_assert_cmpuint (state_notifies, ==, 2);
  g_assert_cmpuint (active_notifies, ==, 1);
  g_assert_cmpuint (vcpus_notifies, ==, 1);
  g_assert_cmpuint (mw_domain_get_vcpus (domain), ==, 4);

  mw_domain_info_clear (&info);
  g_assert_null (info.name);
  g_assert_null (info.uuid);
  g_signal_handlers_disconnect_by_data (domain, &state_notifies);
  g_signal_handlers_disconnect_by_data (domain, &active_notifies);
  g_signal_handlers_disconnect_by_data (domain, &vcpus_notifies);
  g_assert_finalize_object (g_steal_pointer (&domain));
}

static const DemoCase hosta = { "hosta.xml", "Demo: hosta", 8, 5, 1, 2 };
static const DemoCase hostb = { "hostb.xml", "Demo: hostb", 5, 3, 1, 1 };

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  mw_libvirt_init ();
  /* Idempotent. */
  mw_libvirt_init ();

  g_test_add_func ("/mw/connection/default", test_default);
  g_test_add_data_func ("/mw/connection/demo/hosta", &hosta, test_demo_node);
  g_test_add_data_func ("/mw/connection/demo/hostb", &hostb, test_demo_node);
  g_test_add_func ("/mw/connection/demo/details", test_demo_details);
  g_test_add_func ("/mw/connection/events", test_events);
  g_test_add_func ("/mw/connection/event-burst", test_event_burst);
  g_test_add_func ("/mw/connection/domain-actions", test_domain_actions);
  g_test_add_func ("/mw/connection/reload-after-missed-events", test_reload_after_missed_events);
  g_test_add_func ("/mw/connection/undefined-event-rereads-all", test_undefined_event_rereads_all);
  g_test_add_func ("/mw/connection/failures", test_failures);
  g_test_add_func ("/mw/connection/busy", test_busy);
  g_test_add_func ("/mw/connection/cancel", test_cancel);
  g_test_add_func ("/mw/connection/cancel-silent-host", test_cancel_silent_host);
  g_test_add_func ("/mw/connection/unref-while-connecting", test_unref_while_connecting);
  g_test_add_func ("/mw/connection/unref-while-connected", test_unref_while_connected);
  g_test_add_func ("/mw/domain/state-strings", test_domain_state_strings);
  g_test_add_func ("/mw/domain/update", test_domain_update);

  return g_test_run ();
}
