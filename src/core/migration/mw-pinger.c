/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-pinger.c: a continuous ICMP echo to one address, from a thread of its own.
 *
 * Threads: each start () creates a PingRun shared by the main thread (the MwPinger) and one
 * worker thread. The worker owns the socket, sends a probe every interval, matches replies,
 * declares probes lost after the timeout, and queues what happened as PingMsg in run->pending
 * (under run->lock). An idle source on the context captured at start () drains the queue in
 * order and applies it to the records; only that context's thread touches the MwPinger.
 * stop () wakes the worker through a pipe, joins it, and drains what is left.
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "mw-pinger.h"
#include "mw-pinger-private.h"

#define PAYLOAD_SIZE 16
#define PACKET_SIZE  (8 + PAYLOAD_SIZE)

typedef enum
{
  MSG_SENT,
  MSG_REPLY,
  MSG_LOST,
} PingMsgKind;

typedef struct
{
  PingMsgKind kind;
  guint64 index;      /* the probe's number since start, from 0 */
  gint64 time_us;     /* SENT: sent time; REPLY: arrival time; both relative to start_us */
  gint64 rtt_us;      /* REPLY only */
} PingMsg;

/* A probe waiting for its reply; worker thread only. */
typedef struct
{
  guint64 index;
  gint64 sent_us;     /* monotonic */
} Outstanding;

typedef struct
{
  /* Set before the worker starts, read-only afterwards */
  int sock;
  int stop_fds[2];          /* the worker polls [0]; stop () writes to [1] */
  gboolean raw;             /* raw socket: we check identifiers and compute IPv4 checksums */
  int family;
  struct sockaddr_storage addr;
  socklen_t addr_len;
  guint16 ident;            /* echo identifier (raw sockets only; the kernel sets it otherwise) */
  gint64 interval_us;
  gint64 timeout_us;
  gint64 start_us;
  GMainContext *context;

  /* Protected by lock */
  GMutex lock;
  GArray *pending;          /* PingMsg, in the order things happened */
  gboolean idle_scheduled;

  /* The context's thread only; NULL once the run is over */
  MwPinger *owner;
} PingRun;

struct _MwPinger
{
  GObject parent_instance;

  /* Owned */
  char *address;
  PingRun *run;             /* NULL when stopped */
  GThread *thread;
  GArray *records;          /* MwPingRecord; index == probe index */

  guint interval_ms;
  guint timeout_ms;
  gboolean allow_raw;
  guint received;
  guint lost;
  gboolean have_reply;
  gint64 last_reply_us;
  gint64 longest_gap_us;
};

G_DEFINE_FINAL_TYPE (MwPinger, mw_pinger, G_TYPE_OBJECT)

G_DEFINE_QUARK (mw-pinger-error-quark, mw_pinger_error)

enum
{
  PROP_0,
  PROP_ADDRESS,
  PROP_INTERVAL_MS,
  PROP_TIMEOUT_MS,
  PROP_ALLOW_RAW,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* PingRun */

static PingRun *
ping_run_new (void)
{
  PingRun *run = g_atomic_rc_box_new0 (PingRun);

  run->sock = -1;
  run->stop_fds[0] = -1;
  run->stop_fds[1] = -1;
  g_mutex_init (&run->lock);
  run->pending = g_array_new (FALSE, FALSE, sizeof (PingMsg));

  return run;
}

static void
ping_run_clear (gpointer data)
{
  PingRun *run = data;

  if (run->sock >= 0)
    close (run->sock);
  if (run->stop_fds[0] >= 0)
    close (run->stop_fds[0]);
  if (run->stop_fds[1] >= 0)
    close (run->stop_fds[1]);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->pending, g_array_unref);
  g_mutex_clear (&run->lock);
}

static PingRun *
ping_run_ref (PingRun *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
ping_run_unref (gpointer run)
{
  g_atomic_rc_box_release_full (run, ping_run_clear);
}

static void mw_pinger_apply (MwPinger      *self,
                             const PingMsg *msgs,
                             guint          n_msgs);

/* Context thread: applies everything queued so far. */
static void
ping_run_drain (PingRun *run)
{
  g_autoptr(GArray) msgs = NULL;

  g_mutex_lock (&run->lock);
  msgs = g_steal_pointer (&run->pending);
  run->pending = g_array_new (FALSE, FALSE, sizeof (PingMsg));
  run->idle_scheduled = FALSE;
  g_mutex_unlock (&run->lock);

  if (run->owner != NULL && msgs->len > 0)
    mw_pinger_apply (run->owner, (const PingMsg *) (gpointer) msgs->data, msgs->len);
}

static gboolean
on_run_pending_cb (gpointer user_data)
{
  ping_run_drain (user_data);

  return G_SOURCE_REMOVE;
}

/* Worker thread: queues messages and makes sure an idle will pick them up. */
static void
ping_run_post (PingRun       *run,
               const PingMsg *msg)
{
  g_mutex_lock (&run->lock);
  g_array_append_vals (run->pending, msg, 1);
  if (!run->idle_scheduled)
    {
      GSource *source = g_idle_source_new ();

      run->idle_scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, on_run_pending_cb, ping_run_ref (run), ping_run_unref);
      g_source_set_static_name (source, "[mw] pinger records");
      g_source_attach (source, run->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&run->lock);
}

/* Worker thread */

static guint16
icmp_checksum (const guint8 *data,
               gsize         len)
{
  guint32 sum = 0;
  gsize i;

  for (i = 0; i + 1 < len; i += 2)
    sum += (guint32) (data[i] << 8 | data[i + 1]);
  if (len % 2 != 0)
    sum += (guint32) data[len - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);

  return (guint16) ~sum;
}

static void
send_probe (PingRun *run,
            guint64  index)
{
  guint8 packet[PACKET_SIZE] = { 0 };
  guint16 seq = (guint16) (index & 0xffff);
  guint64 be_index = GUINT64_TO_BE (index);

  packet[0] = run->family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
  packet[1] = 0;
  /* Datagram sockets fill in the identifier; the kernel computes the checksum for datagram
   * sockets and for raw ICMPv6. */
  packet[4] = run->ident >> 8;
  packet[5] = run->ident & 0xff;
  packet[6] = seq >> 8;
  packet[7] = seq & 0xff;
  memcpy (packet + 8, &be_index, sizeof be_index);
  memcpy (packet + 16, "MigWizrd", 8);

  if (run->raw && run->family == AF_INET)
    {
      guint16 sum = icmp_checksum (packet, sizeof packet);

      packet[2] = sum >> 8;
      packet[3] = sum & 0xff;
    }

  /* A failed send (no route, buffer full) is just a probe that will be lost. */
  if (sendto (run->sock, packet, sizeof packet, 0,
              (struct sockaddr *) &run->addr, run->addr_len) < 0)
    g_debug ("Sending a ping failed: %s", g_strerror (errno));
}

static gboolean
same_address (PingRun                       *run,
              const struct sockaddr_storage *from)
{
  if (from->ss_family != run->family)
    return FALSE;

  if (run->family == AF_INET)
    return memcmp (&((const struct sockaddr_in *) from)->sin_addr,
                   &((const struct sockaddr_in *) &run->addr)->sin_addr,
                   sizeof (struct in_addr)) == 0;

  return memcmp (&((const struct sockaddr_in6 *) from)->sin6_addr,
                 &((const struct sockaddr_in6 *) &run->addr)->sin6_addr,
                 sizeof (struct in6_addr)) == 0;
}

/* Reads every datagram waiting; each echo reply that matches an outstanding probe becomes a
 * REPLY message. Late, duplicate and foreign packets are dropped. */
static void
receive_replies (PingRun *run,
                 GArray  *outstanding)
{
  for (;;)
    {
      guint8 buffer[1500];
      struct sockaddr_storage from = { 0 };
      socklen_t from_len = sizeof from;
      const guint8 *icmp = buffer;
      gssize len;
      gint64 now;
      guint16 seq;
      guint i;

      len = recvfrom (run->sock, buffer, sizeof buffer, 0, (struct sockaddr *) &from, &from_len);
      if (len < 0)
        {
          if (errno == EINTR)
            continue;
          /* EAGAIN: drained. Anything else (an ICMP error queued on the socket) is just a probe
           * that will be counted lost. */
          return;
        }
      now = g_get_monotonic_time ();

      if (!same_address (run, &from))
        continue;

      /* Raw IPv4 sockets include the IP header. */
      if (run->raw && run->family == AF_INET)
        {
          gsize header_len = (gsize) (buffer[0] & 0x0f) * 4;

          if ((gsize) len < header_len)
            continue;
          icmp = buffer + header_len;
          len -= (gssize) header_len;
        }
      if (len < 8)
        continue;

      if (icmp[0] != (run->family == AF_INET6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY))
        continue;
      if (run->raw && (guint16) (icmp[4] << 8 | icmp[5]) != run->ident)
        continue;
      seq = (guint16) (icmp[6] << 8 | icmp[7]);

      for (i = 0; i < outstanding->len; i++)
        {
          Outstanding *probe = &g_array_index (outstanding, Outstanding, i);

          if ((probe->index & 0xffff) == seq)
            {
              PingMsg msg = { MSG_REPLY, probe->index, now - run->start_us,
                              now - probe->sent_us };

              ping_run_post (run, &msg);
              g_array_remove_index (outstanding, i);
              break;
            }
        }
    }
}

static gpointer
ping_thread (gpointer data)
{
  PingRun *run = data;
  g_autoptr(GArray) outstanding = g_array_new (FALSE, FALSE, sizeof (Outstanding));
  guint64 next_index = 0;
  gint64 next_send_us = g_get_monotonic_time ();

  for (;;)
    {
      struct pollfd fds[2] = {
        { run->sock, POLLIN, 0 },
        { run->stop_fds[0], POLLIN, 0 },
      };
      gint64 now = g_get_monotonic_time ();
      gint64 deadline;
      gint64 wait_ms;

      if (now >= next_send_us)
        {
          Outstanding probe = { next_index, now };
          PingMsg msg = { MSG_SENT, next_index, now - run->start_us, -1 };

          send_probe (run, next_index);
          ping_run_post (run, &msg);
          g_array_append_val (outstanding, probe);
          next_index++;

          /* Keep to the schedule, but after a stall do not send a burst to catch up. */
          next_send_us += run->interval_us;
          if (next_send_us <= now)
            next_send_us = now + run->interval_us;
        }

      /* Outstanding probes are in sending order, so the oldest expires first. */
      while (outstanding->len > 0
             && g_array_index (outstanding, Outstanding, 0).sent_us + run->timeout_us <= now)
        {
          PingMsg msg = { MSG_LOST, g_array_index (outstanding, Outstanding, 0).index, 0, -1 };

          ping_run_post (run, &msg);
          g_array_remove_index (outstanding, 0);
        }

      deadline = next_send_us;
      if (outstanding->len > 0)
        deadline = MIN (deadline,
                        g_array_index (outstanding, Outstanding, 0).sent_us + run->timeout_us);
      wait_ms = MAX (0, (deadline - now + 999) / 1000);

      if (poll (fds, G_N_ELEMENTS (fds), (int) MIN (wait_ms, G_MAXINT)) < 0 && errno != EINTR)
        {
          g_warning ("Pinger poll failed: %s", g_strerror (errno));
          break;
        }

      if (fds[1].revents != 0)
        break;
      if ((fds[0].revents & POLLIN) != 0)
        receive_replies (run, outstanding);
    }

  ping_run_unref (run);
  return NULL;
}

/* Main thread */

static void
mw_pinger_apply (MwPinger      *self,
                 const PingMsg *msgs,
                 guint          n_msgs)
{
  guint i;

  for (i = 0; i < n_msgs; i++)
    {
      const PingMsg *msg = &msgs[i];
      MwPingRecord *record;

      switch (msg->kind)
        {
        case MSG_SENT:
          {
            MwPingRecord new_record = { (guint16) (msg->index & 0xffff), msg->time_us, -1, FALSE };

            g_assert (msg->index == self->records->len);
            g_array_append_val (self->records, new_record);
          }
          break;

        case MSG_REPLY:
          g_assert (msg->index < self->records->len);
          record = &g_array_index (self->records, MwPingRecord, msg->index);
          record->rtt_us = msg->rtt_us;
          self->received++;
          if (self->have_reply)
            self->longest_gap_us = MAX (self->longest_gap_us, msg->time_us - self->last_reply_us);
          self->have_reply = TRUE;
          self->last_reply_us = msg->time_us;
          break;

        case MSG_LOST:
          g_assert (msg->index < self->records->len);
          record = &g_array_index (self->records, MwPingRecord, msg->index);
          record->lost = TRUE;
          self->lost++;
          /* An outage still going on counts too, up to the last probe it swallowed: a guest
           * that never answers again must not end with the gap of an earlier blip. */
          if (self->have_reply)
            self->longest_gap_us = MAX (self->longest_gap_us,
                                        record->sent_us - self->last_reply_us);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
mw_pinger_dispose (GObject *object)
{
  MwPinger *self = MW_PINGER (object);

  mw_pinger_stop (self);

  G_OBJECT_CLASS (mw_pinger_parent_class)->dispose (object);
}

static void
mw_pinger_finalize (GObject *object)
{
  MwPinger *self = MW_PINGER (object);

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->records, g_array_unref);

  G_OBJECT_CLASS (mw_pinger_parent_class)->finalize (object);
}

static void
mw_pinger_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MwPinger *self = MW_PINGER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_ALLOW_RAW:
      g_value_set_boolean (value, self->allow_raw);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, mw_pinger_is_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_pinger_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MwPinger *self = MW_PINGER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      self->address = g_value_dup_string (value);
      break;
    case PROP_INTERVAL_MS:
      self->interval_ms = g_value_get_uint (value);
      break;
    case PROP_TIMEOUT_MS:
      self->timeout_ms = g_value_get_uint (value);
      break;
    case PROP_ALLOW_RAW:
      if (self->allow_raw != g_value_get_boolean (value))
        {
          self->allow_raw = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mw_pinger_class_init (MwPingerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_pinger_dispose;
  object_class->finalize = mw_pinger_finalize;
  object_class->get_property = mw_pinger_get_property;
  object_class->set_property = mw_pinger_set_property;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL, 1, 60000, 100,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, 600000, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_RAW] =
    g_param_spec_boolean ("allow-raw", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY
                          | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MwPinger::changed:
   *
   * Records were added or updated (sent, answered, lost), in the order it happened.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mw_pinger_init (MwPinger *self)
{
  self->records = g_array_new (FALSE, TRUE, sizeof (MwPingRecord));
}

MwPinger *
mw_pinger_new (const char *address,
               guint       interval_ms,
               guint       timeout_ms)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (interval_ms > 0, NULL);
  g_return_val_if_fail (timeout_ms > 0, NULL);

  return g_object_new (MW_TYPE_PINGER,
                       "address", address,
                       "interval-ms", interval_ms,
                       "timeout-ms", timeout_ms,
                       NULL);
}

/* Fills run's family and address from the literal; FALSE when it is not one. */
static gboolean
parse_address (PingRun    *run,
               const char *address)
{
  struct sockaddr_in *sin = (struct sockaddr_in *) &run->addr;
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &run->addr;

  memset (&run->addr, 0, sizeof run->addr);
  if (inet_pton (AF_INET, address, &sin->sin_addr) == 1)
    {
      run->family = AF_INET;
      sin->sin_family = AF_INET;
      run->addr_len = sizeof *sin;
      return TRUE;
    }

  memset (&run->addr, 0, sizeof run->addr);
  if (inet_pton (AF_INET6, address, &sin6->sin6_addr) == 1)
    {
      run->family = AF_INET6;
      sin6->sin6_family = AF_INET6;
      run->addr_len = sizeof *sin6;
      return TRUE;
    }

  return FALSE;
}

static gboolean
open_socket (PingRun   *run,
             gboolean   allow_raw,
             GError   **error)
{
  int proto = run->family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  int saved_errno;

  run->sock = socket (run->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (run->sock >= 0)
    return TRUE;

  saved_errno = errno;
  if (saved_errno != EACCES && saved_errno != EPERM)
    {
      g_set_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_SOCKET,
                   _("Could not open a ping socket: %s."), g_strerror (saved_errno));
      return FALSE;
    }

  if (allow_raw)
    {
      run->sock = socket (run->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
      if (run->sock >= 0)
        {
          run->raw = TRUE;
          run->ident = (guint16) g_random_int_range (1, 0x10000);
          return TRUE;
        }
    }

  /* The same sysctl governs IPv4 and IPv6 ping sockets. */
  g_set_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_FORBIDDEN,
               _("This system does not allow your user to send pings: your groups are outside "
                 "net.ipv4.ping_group_range. An administrator can allow every group with: "
                 "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""));
  return FALSE;
}

gboolean
mw_pinger_start (MwPinger  *self,
                 gint64     start_us,
                 GError   **error)
{
  PingRun *run = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MW_IS_PINGER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mw_pinger_stop (self);

  run = ping_run_new ();
  if (!parse_address (run, self->address))
    {
      g_set_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_ADDRESS,
                   _("“%s” is not an IPv4 or IPv6 address."), self->address);
      ping_run_unref (run);
      return FALSE;
    }

  if (!open_socket (run, self->allow_raw, error))
    {
      ping_run_unref (run);
      return FALSE;
    }

  if (!g_unix_open_pipe (run->stop_fds, FD_CLOEXEC, &local_error))
    {
      g_set_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_SOCKET,
                   _("Could not start the pinger: %s."), local_error->message);
      g_clear_error (&local_error);
      ping_run_unref (run);
      return FALSE;
    }

  run->interval_us = (gint64) self->interval_ms * G_TIME_SPAN_MILLISECOND;
  run->timeout_us = (gint64) self->timeout_ms * G_TIME_SPAN_MILLISECOND;
  run->start_us = start_us;
  run->context = g_main_context_ref_thread_default ();
  run->owner = self;

  /* A new run starts new records. */
  g_array_set_size (self->records, 0);
  self->received = 0;
  self->lost = 0;
  self->have_reply = FALSE;
  self->last_reply_us = 0;
  self->longest_gap_us = 0;

  self->thread = g_thread_try_new ("mw-pinger", ping_thread, ping_run_ref (run), &local_error);
  if (self->thread == NULL)
    {
      g_set_error (error, MW_PINGER_ERROR, MW_PINGER_ERROR_SOCKET,
                   _("Could not start the pinger: %s."), local_error->message);
      g_clear_error (&local_error);
      /* The thread's reference was never taken over. */
      ping_run_unref (run);
      run->owner = NULL;
      ping_run_unref (run);
      return FALSE;
    }

  self->run = run;
  g_signal_emit (self, signals[CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

void
mw_pinger_stop (MwPinger *self)
{
  const char wake = 'x';

  g_return_if_fail (MW_IS_PINGER (self));

  if (self->run == NULL)
    return;

  /* The worker wakes within its poll () and returns; the join is short. */
  while (write (self->run->stop_fds[1], &wake, 1) < 0 && errno == EINTR)
    ;
  g_thread_join (g_steal_pointer (&self->thread));

  ping_run_drain (self->run);
  self->run->owner = NULL;
  g_clear_pointer (&self->run, ping_run_unref);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
mw_pinger_is_running (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), FALSE);

  return self->run != NULL;
}

const char *
mw_pinger_get_address (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), NULL);

  return self->address;
}

guint
mw_pinger_get_interval_ms (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), 0);

  return self->interval_ms;
}

guint
mw_pinger_get_timeout_ms (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), 0);

  return self->timeout_ms;
}

guint
mw_pinger_get_n_records (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), 0);

  return self->records->len;
}

const MwPingRecord *
mw_pinger_get_record (MwPinger *self,
                      guint     index)
{
  g_return_val_if_fail (MW_IS_PINGER (self), NULL);
  g_return_val_if_fail (index < self->records->len, NULL);

  return &g_array_index (self->records, MwPingRecord, index);
}

guint
mw_pinger_get_received (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), 0);

  return self->received;
}

guint
mw_pinger_get_lost (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), 0);

  return self->lost;
}

gint64
mw_pinger_get_longest_gap_us (MwPinger *self)
{
  g_return_val_if_fail (MW_IS_PINGER (self), 0);

  return self->longest_gap_us;
}

void
mw_pinger_feed_for_test (MwPinger *self,
                         gboolean  reply,
                         gboolean  lost,
                         guint     index,
                         gint64    time_us,
                         gint64    rtt_us)
{
  PingMsg msg = { reply ? MSG_REPLY : lost ? MSG_LOST : MSG_SENT, index, time_us, rtt_us };

  mw_pinger_apply (self, &msg, 1);
}
