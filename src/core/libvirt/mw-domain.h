/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-domain.h: one libvirt domain as the models and the UI see it.
 *
 * A plain GObject owned by its MwConnection's domain list, main thread only. Its values are
 * copied in by the connection from worker results; it holds no libvirt handle. Its life-cycle
 * actions (start, shut down…) run in workers on the connection's libvirt connection
 * (mw-domain-actions.c).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Mirrors virDomainState. */
typedef enum
{
  MW_DOMAIN_STATE_NOSTATE,
  MW_DOMAIN_STATE_RUNNING,
  MW_DOMAIN_STATE_BLOCKED,
  MW_DOMAIN_STATE_PAUSED,
  MW_DOMAIN_STATE_SHUTDOWN,
  MW_DOMAIN_STATE_SHUTOFF,
  MW_DOMAIN_STATE_CRASHED,
  MW_DOMAIN_STATE_PMSUSPENDED,
} MwDomainState;

/* What a worker reads of a domain; copied by value into the model. */
typedef struct
{
  char *name;
  char *uuid;            /* canonical string form */
  MwDomainState state;
  guint vcpus;
  guint64 memory_kib;    /* current */
  guint64 max_memory_kib;
  gboolean persistent;
  gboolean migrating;    /* paused by a migration (libvirt's reason): an incoming copy, or the
                          * source at the switch-over */
} MwDomainInfo;

void          mw_domain_info_clear         (MwDomainInfo *info);

#define MW_TYPE_DOMAIN (mw_domain_get_type ())

G_DECLARE_FINAL_TYPE (MwDomain, mw_domain, MW, DOMAIN, GObject)

typedef struct _MwConnection MwConnection;

MwDomain     *mw_domain_new                (MwConnection       *connection,
                                            const MwDomainInfo *info);
/* Sets every field from info, notifying only the properties that changed. */
void          mw_domain_update             (MwDomain           *self,
                                            const MwDomainInfo *info);

MwConnection *mw_domain_get_connection     (MwDomain *self);  /* weak: NULL once it is gone */
const char   *mw_domain_get_name           (MwDomain *self);
const char   *mw_domain_get_uuid           (MwDomain *self);
MwDomainState mw_domain_get_state          (MwDomain *self);
guint         mw_domain_get_vcpus          (MwDomain *self);
guint64       mw_domain_get_memory_kib     (MwDomain *self);
guint64       mw_domain_get_max_memory_kib (MwDomain *self);
/* Paused by a migration rather than by a user; property "migrating". */
gboolean      mw_domain_is_migrating       (MwDomain *self);
gboolean      mw_domain_get_persistent     (MwDomain *self);
gboolean      mw_domain_is_active          (MwDomain *self);

/* Translated state name: "Running", "Shut off"… */
const char   *mw_domain_state_to_string    (MwDomainState state);

/* What a virt-manager user expects to do to a guest's life. */
typedef enum
{
  MW_DOMAIN_ACTION_START,      /* virDomainCreate */
  MW_DOMAIN_ACTION_SHUTDOWN,   /* virDomainShutdown: asks the guest's OS, which may take a while */
  MW_DOMAIN_ACTION_REBOOT,     /* virDomainReboot: asks the guest's OS */
  MW_DOMAIN_ACTION_FORCE_OFF,  /* virDomainDestroy: stops it at once; unsaved work is lost */
  MW_DOMAIN_ACTION_PAUSE,      /* virDomainSuspend */
  MW_DOMAIN_ACTION_RESUME,     /* virDomainResume */
} MwDomainAction;

/* Whether action applies to the domain in its listed state. */
gboolean      mw_domain_can_run_action     (MwDomain       *self,
                                            MwDomainAction  action);
/* One translated sentence naming the domain that says what its state allows, and so why the
 * other actions do not apply ("web01 is shut off: it can only be started."). */
char         *mw_domain_describe_actions   (MwDomain       *self);
/* Runs action in a worker on the domain's connection. Errors: MW_CONNECTION_ERROR_NOT_CONNECTED,
 * or MW_LIBVIRT_ERROR with libvirt's own words. Whatever the outcome, the connection re-reads
 * the domain afterwards, so the list shows what the host says. */
void          mw_domain_run_action_async   (MwDomain            *self,
                                            MwDomainAction       action,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      mw_domain_run_action_finish  (MwDomain            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
