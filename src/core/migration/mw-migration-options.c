/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-options.c: validating migration options and turning them into libvirt flags,
 * typed parameters and an equivalent virsh command line.
 *
 * Pure functions. Every virsh option written here was checked against `virsh migrate --help`
 * of libvirt-clients 9.0.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mw-migration-options.h"
#include "mw-shell.h"

G_DEFINE_BOXED_TYPE (MwMigrationOptions, mw_migration_options,
                     mw_migration_options_copy, mw_migration_options_free)

G_DEFINE_QUARK (mw-migration-options-error-quark, mw_migration_options_error)

/* Defaults for an administrator moving a guest for maintenance:
 * - live: the guest keeps serving; offline is for guests that are shut off anyway.
 * - move (persist on the destination, undefine on the source): after maintenance the guest
 *   belongs to the new host, and a single definition cannot be started twice by mistake.
 * - shared storage: the common data-centre setup, and the cheapest migration; copying disks is
 *   a deliberate choice because it needs space and time on the destination.
 * - peer-to-peer: the source libvirtd drives the migration. The lab showed why: when the
 *   destination daemon dies, a peer-to-peer migration fails at once and the guest keeps running
 *   on the source, while a client-driven one keeps streaming until its Finish phase (60 s and
 *   more). It also survives this app being closed mid-way. The cost: the source host must reach
 *   and authenticate to the destination URI itself (ssh keys for root on the source); explain ()
 *   says so, and the page lets the user pick "this computer" instead.
 * - no downtime or bandwidth override, no auto-converge, no post-copy, no compression: each
 *   changes how the guest behaves (throttled vCPUs, pages fetched over the network) or costs CPU;
 *   the convergence check offers them as remedies when a migration does not finish.
 * - no TLS: it needs migration certificates on both hosts, which most labs lack.
 * - never unsafe by default. */
MwMigrationOptions *
mw_migration_options_new_defaults (void)
{
  MwMigrationOptions *self = g_new0 (MwMigrationOptions, 1);

  self->mode = MW_MIGRATION_MODE_LIVE;
  self->persistence = MW_MIGRATION_PERSISTENCE_MOVE;
  self->storage = MW_MIGRATION_STORAGE_SHARED;
  self->max_downtime_ms = 0;
  self->bandwidth_mib_s = 0;
  self->auto_converge = FALSE;
  self->postcopy = FALSE;
  self->postcopy_after_s = 0;
  self->compression = MW_MIGRATION_COMPRESSION_NONE;
  self->connection = MW_MIGRATION_CONNECTION_PEER_TO_PEER;
  self->tls = FALSE;
  self->unsafe = FALSE;
  self->parallel_connections = 0;
  self->zerocopy = FALSE;
  self->xbzrle_cache_mib = 0;
  self->postcopy_resume = FALSE;

  return self;
}

MwMigrationOptions *
mw_migration_options_copy (const MwMigrationOptions *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
mw_migration_options_free (MwMigrationOptions *self)
{
  g_free (self);
}

gboolean
mw_migration_options_equal (const MwMigrationOptions *a,
                            const MwMigrationOptions *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->mode == b->mode
         && a->persistence == b->persistence
         && a->storage == b->storage
         && a->max_downtime_ms == b->max_downtime_ms
         && a->bandwidth_mib_s == b->bandwidth_mib_s
         && !a->auto_converge == !b->auto_converge
         && !a->postcopy == !b->postcopy
         && !a->postcopy_resume == !b->postcopy_resume
         && a->postcopy_after_s == b->postcopy_after_s
         && a->compression == b->compression
         && a->connection == b->connection
         && !a->tls == !b->tls
         && !a->unsafe == !b->unsafe
         && a->parallel_connections == b->parallel_connections
         && !a->zerocopy == !b->zerocopy
         && a->xbzrle_cache_mib == b->xbzrle_cache_mib;
}

gboolean
mw_migration_options_validate (const MwMigrationOptions  *self,
                               GError                   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->mode == MW_MIGRATION_MODE_OFFLINE)
    {
      if (self->persistence == MW_MIGRATION_PERSISTENCE_TEMPORARY)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_TEMPORARY,
                               _("An offline migration only moves the guest’s definition, so it "
                                 "cannot be temporary: choose to keep the guest on the "
                                 "destination, or migrate it live."));
          return FALSE;
        }
      if (self->storage != MW_MIGRATION_STORAGE_SHARED)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_STORAGE,
                               _("An offline migration cannot copy disks: use shared storage, "
                                 "or migrate the guest live to copy its disks."));
          return FALSE;
        }
      if (self->postcopy)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_POSTCOPY,
                               _("Post-copy needs a live migration: turn post-copy off, or "
                                 "migrate the guest live."));
          return FALSE;
        }
      if (self->auto_converge)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_AUTO_CONVERGE,
                               _("Auto-converge slows a running guest, so it needs a live "
                                 "migration: turn it off, or migrate the guest live."));
          return FALSE;
        }
      if (self->compression != MW_MIGRATION_COMPRESSION_NONE)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_COMPRESSION,
                               _("An offline migration copies no memory, so there is nothing to "
                                 "compress: turn compression off."));
          return FALSE;
        }
      if (self->max_downtime_ms != 0)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_DOWNTIME,
                               _("A maximum downtime only applies to a live migration: set it "
                                 "back to the default."));
          return FALSE;
        }
      if (self->bandwidth_mib_s != 0)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_BANDWIDTH,
                               _("A bandwidth limit only applies to a live migration: remove "
                                 "the limit."));
          return FALSE;
        }
      if (self->parallel_connections != 0 || self->zerocopy)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_OFFLINE_PARALLEL,
                               _("An offline migration copies no memory, so parallel "
                                 "connections and zero-copy do not apply: turn them off."));
          return FALSE;
        }
    }

  if (self->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    {
      if (self->parallel_connections != 0)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_PARALLEL,
                               _("Parallel connections do not work through a tunnelled "
                                 "migration: choose peer-to-peer without tunnel, or one "
                                 "connection."));
          return FALSE;
        }
      if (self->tls)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_TLS,
                               _("TLS and tunnelled migration cannot be combined: a tunnelled "
                                 "migration is already as secure as the libvirt connection it "
                                 "uses. Turn one of them off."));
          return FALSE;
        }
      if (self->postcopy)
        {
          g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                               MW_MIGRATION_OPTIONS_ERROR_TUNNELLED_POSTCOPY,
                               _("Post-copy does not work through a tunnelled migration: choose "
                                 "peer-to-peer without tunnel, or turn post-copy off."));
          return FALSE;
        }
    }

  if (self->postcopy_after_s > 0 && !self->postcopy)
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_AFTER,
                           _("Switching to post-copy after a time needs post-copy allowed: "
                             "allow post-copy, or remove the time."));
      return FALSE;
    }

  if (self->postcopy_resume && !self->postcopy)
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_RESUME,
                           _("Only a post-copy migration can be recovered: give the options of "
                             "the migration that broke off, post-copy included."));
      return FALSE;
    }

  if (self->postcopy && self->compression == MW_MIGRATION_COMPRESSION_MT)
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_POSTCOPY_COMPRESSION,
                           _("Post-copy cannot be combined with multithread compression: choose "
                             "XBZRLE compression or none, or turn post-copy off."));
      return FALSE;
    }

  /* libvirt-domain.h, VIR_MIGRATE_PARAM_COMPRESSION: "Parallel migration of QEMU domains is
   * only compatible with either zlib or zstd method." */
  if (self->parallel_connections != 0
      && (self->compression == MW_MIGRATION_COMPRESSION_XBZRLE
          || self->compression == MW_MIGRATION_COMPRESSION_MT))
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION,
                           _("Parallel connections can only be compressed with zlib or zstd: "
                             "choose one of those, or one connection."));
      return FALSE;
    }
  if (self->parallel_connections == 0
      && (self->compression == MW_MIGRATION_COMPRESSION_ZLIB
          || self->compression == MW_MIGRATION_COMPRESSION_ZSTD))
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_PARALLEL_COMPRESSION,
                           _("zlib and zstd compression work on parallel connections only: "
                             "turn parallel connections on, or choose XBZRLE."));
      return FALSE;
    }
  /* QEMU refuses zero-copy-send without multifd, with multifd compression and with TLS. */
  if (self->zerocopy
      && (self->parallel_connections == 0
          || self->compression != MW_MIGRATION_COMPRESSION_NONE || self->tls))
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_ZEROCOPY,
                           _("Zero-copy needs parallel connections, without compression and "
                             "without TLS: change those, or turn zero-copy off."));
      return FALSE;
    }
  if (self->xbzrle_cache_mib != 0 && self->compression != MW_MIGRATION_COMPRESSION_XBZRLE)
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_XBZRLE_CACHE,
                           _("An XBZRLE cache size needs XBZRLE compression: choose it, or "
                             "remove the size."));
      return FALSE;
    }

  return TRUE;
}

GStrv
mw_migration_options_get_warnings (const MwMigrationOptions *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  GStrv warnings;

  g_return_val_if_fail (self != NULL, NULL);

  builder = g_strv_builder_new ();
  if (self->unsafe)
    g_strv_builder_add (builder,
                        _("Unsafe: libvirt will not check that the disks are really shared and "
                          "safely cached. If they are not, the guest’s disks can be corrupted."));
  if (self->postcopy && self->mode == MW_MIGRATION_MODE_LIVE)
    g_strv_builder_add (builder,
                        _("After switching to post-copy the guest runs on the destination while "
                          "part of its memory is still on the source: if the network fails then, "
                          "the guest waits, paused, until the migration is recovered."));

  warnings = g_strv_builder_end (builder);
  if (warnings[0] == NULL)
    g_clear_pointer (&warnings, g_strfreev);

  return warnings;
}

static const char *
compression_method (MwMigrationCompression compression)
{
  switch (compression)
    {
    case MW_MIGRATION_COMPRESSION_XBZRLE:
      return "xbzrle";
    case MW_MIGRATION_COMPRESSION_MT:
      return "mt";
    /* Values of VIR_MIGRATE_PARAM_COMPRESSION since libvirt 9.4 (libvirt-domain.h); only sent
     * once mw-migration-caps found 9.4 on both hosts. */
    case MW_MIGRATION_COMPRESSION_ZLIB:
      return "zlib";
    case MW_MIGRATION_COMPRESSION_ZSTD:
      return "zstd";
    case MW_MIGRATION_COMPRESSION_NONE:
    default:
      return NULL;
    }
}

/* Peer-to-peer: the source daemon opens dest_uri itself, so it must name another host. */
static gboolean
check_destination (const MwMigrationOptions  *self,
                   const char                *dest_uri,
                   GError                   **error)
{
  g_autoptr(GUri) uri = NULL;

  if (dest_uri == NULL || *dest_uri == '\0')
    {
      g_set_error_literal (error, MW_MIGRATION_OPTIONS_ERROR,
                           MW_MIGRATION_OPTIONS_ERROR_DESTINATION,
                           _("No destination host was chosen."));
      return FALSE;
    }

  if (self->connection == MW_MIGRATION_CONNECTION_CLIENT)
    return TRUE;

  uri = g_uri_parse (dest_uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, MW_MIGRATION_OPTIONS_ERROR,
                   MW_MIGRATION_OPTIONS_ERROR_DESTINATION,
                   _("In a peer-to-peer migration the source host connects to the destination "
                     "itself, so “%s” must name the destination host (for example "
                     "qemu+ssh://host/system)."),
                   dest_uri);
      return FALSE;
    }

  return TRUE;
}

gboolean
mw_migration_options_to_flags_and_params (const MwMigrationOptions  *self,
                                          const char                *dest_uri,
                                          unsigned int              *flags,
                                          virTypedParameterPtr      *params,
                                          int                       *nparams,
                                          GError                   **error)
{
  virTypedParameterPtr list = NULL;
  int n = 0;
  int max = 0;
  unsigned int f = 0;
  const char *method;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (flags != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (nparams != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!mw_migration_options_validate (self, error)
      || !check_destination (self, dest_uri, error))
    return FALSE;

  /* virTypedParamsAdd* need libvirt initialised (a no-op once done). */
  if (virInitialize () < 0)
    g_error ("Could not initialise libvirt");

  if (self->mode == MW_MIGRATION_MODE_OFFLINE)
    f |= VIR_MIGRATE_OFFLINE | VIR_MIGRATE_PERSIST_DEST;
  else
    f |= VIR_MIGRATE_LIVE;

  if (self->persistence == MW_MIGRATION_PERSISTENCE_MOVE)
    f |= VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;

  switch (self->storage)
    {
    case MW_MIGRATION_STORAGE_COPY_ALL:
      f |= VIR_MIGRATE_NON_SHARED_DISK;
      break;
    case MW_MIGRATION_STORAGE_COPY_INCREMENTAL:
      f |= VIR_MIGRATE_NON_SHARED_INC;
      break;
    case MW_MIGRATION_STORAGE_SHARED:
    default:
      break;
    }

  switch (self->connection)
    {
    case MW_MIGRATION_CONNECTION_TUNNELLED:
      f |= VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_TUNNELLED;
      break;
    case MW_MIGRATION_CONNECTION_PEER_TO_PEER:
      f |= VIR_MIGRATE_PEER2PEER;
      break;
    case MW_MIGRATION_CONNECTION_CLIENT:
    default:
      break;
    }

  if (self->auto_converge)
    f |= VIR_MIGRATE_AUTO_CONVERGE;
  if (self->postcopy)
    f |= VIR_MIGRATE_POSTCOPY;
  if (self->postcopy_resume)
    f |= VIR_MIGRATE_POSTCOPY | VIR_MIGRATE_POSTCOPY_RESUME;
  if (self->tls)
    f |= VIR_MIGRATE_TLS;
  if (self->unsafe)
    f |= VIR_MIGRATE_UNSAFE;
  /* Both in libvirt 9.0's header: PARALLEL since 5.2, ZEROCOPY since 8.5. */
  if (self->parallel_connections != 0)
    {
      f |= VIR_MIGRATE_PARALLEL;
      if (virTypedParamsAddInt (&list, &n, &max, VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
                                (int) self->parallel_connections) < 0)
        goto oom;
    }
  if (self->zerocopy)
    f |= VIR_MIGRATE_ZEROCOPY;

  method = compression_method (self->compression);
  if (method != NULL)
    {
      f |= VIR_MIGRATE_COMPRESSED;
      if (virTypedParamsAddString (&list, &n, &max, VIR_MIGRATE_PARAM_COMPRESSION, method) < 0)
        goto oom;
    }
  if (self->xbzrle_cache_mib != 0
      && virTypedParamsAddULLong (&list, &n, &max, VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE,
                                  (unsigned long long) self->xbzrle_cache_mib * 1024 * 1024) < 0)
    goto oom;

  if (self->bandwidth_mib_s != 0
      && virTypedParamsAddULLong (&list, &n, &max, VIR_MIGRATE_PARAM_BANDWIDTH,
                                  self->bandwidth_mib_s) < 0)
    goto oom;

  *flags = f;
  *params = list;
  *nparams = n;
  return TRUE;

oom:
  /* virTypedParamsAdd* only fails when out of memory; libvirt has logged it. */
  virTypedParamsFree (list, n);
  g_error ("Out of memory building migration parameters");
}

static GStrvBuilder *
virsh_builder_new (const char *source_uri)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "virsh");
  if (source_uri != NULL && *source_uri != '\0')
    {
      g_strv_builder_add (builder, "-c");
      g_strv_builder_add (builder, source_uri);
    }

  return builder;
}

GStrv
mw_migration_options_to_virsh (const MwMigrationOptions  *self,
                               const char                *source_uri,
                               const char                *domain_name,
                               const char                *dest_uri,
                               GError                   **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  const char *method;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mw_migration_options_validate (self, error)
      || !check_destination (self, dest_uri, error))
    return NULL;

  builder = virsh_builder_new (source_uri);
  g_strv_builder_add (builder, "migrate");

  if (self->mode == MW_MIGRATION_MODE_OFFLINE)
    g_strv_builder_add (builder, "--offline");
  else
    g_strv_builder_add (builder, "--live");

  /* virsh's --offline does not add --persistent by itself. */
  if (self->persistence == MW_MIGRATION_PERSISTENCE_MOVE || self->mode == MW_MIGRATION_MODE_OFFLINE)
    g_strv_builder_add (builder, "--persistent");
  if (self->persistence == MW_MIGRATION_PERSISTENCE_MOVE)
    g_strv_builder_add (builder, "--undefinesource");

  if (self->connection == MW_MIGRATION_CONNECTION_PEER_TO_PEER
      || self->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    g_strv_builder_add (builder, "--p2p");
  if (self->connection == MW_MIGRATION_CONNECTION_TUNNELLED)
    g_strv_builder_add (builder, "--tunnelled");

  if (self->storage == MW_MIGRATION_STORAGE_COPY_ALL)
    g_strv_builder_add (builder, "--copy-storage-all");
  else if (self->storage == MW_MIGRATION_STORAGE_COPY_INCREMENTAL)
    g_strv_builder_add (builder, "--copy-storage-inc");

  if (self->auto_converge)
    g_strv_builder_add (builder, "--auto-converge");
  if (self->postcopy)
    g_strv_builder_add (builder, "--postcopy");
  if (self->postcopy_resume)
    g_strv_builder_add (builder, "--postcopy-resume");
  if (self->postcopy_after_s > 0)
    {
      /* virsh's own timer: it calls virDomainMigrateStartPostCopy () after N seconds, as
       * mig-wizard-cli's --postcopy-after does. */
      g_autofree char *after = g_strdup_printf ("%u", self->postcopy_after_s);

      g_strv_builder_addv (builder, (const char *[]) { "--timeout", after, "--timeout-postcopy",
                                                       NULL });
    }
  if (self->tls)
    g_strv_builder_add (builder, "--tls");
  if (self->unsafe)
    g_strv_builder_add (builder, "--unsafe");

  if (self->parallel_connections != 0)
    {
      g_autofree char *connections = g_strdup_printf ("%u", self->parallel_connections);

      g_strv_builder_addv (builder, (const char *[]) { "--parallel", "--parallel-connections",
                                                       connections, NULL });
    }
  if (self->zerocopy)
    g_strv_builder_add (builder, "--zerocopy");

  method = compression_method (self->compression);
  if (method != NULL)
    g_strv_builder_addv (builder, (const char *[]) { "--compressed", "--comp-methods", method,
                                                     NULL });
  if (self->xbzrle_cache_mib != 0)
    {
      /* virsh's --comp-xbzrle-cache takes bytes. */
      g_autofree char *cache = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                (guint64) self->xbzrle_cache_mib * 1024 * 1024);

      g_strv_builder_addv (builder, (const char *[]) { "--comp-xbzrle-cache", cache, NULL });
    }

  if (self->bandwidth_mib_s != 0)
    {
      g_autofree char *bandwidth = g_strdup_printf ("%u", self->bandwidth_mib_s);

      g_strv_builder_add (builder, "--bandwidth");
      g_strv_builder_add (builder, bandwidth);
    }

  /* Named options, so a domain called "-x" is never read as an option. */
  g_strv_builder_addv (builder, (const char *[]) { "--domain", domain_name,
                                                   "--desturi", dest_uri, NULL });

  return g_strv_builder_end (builder);
}

GStrv
mw_migration_options_to_virsh_downtime (const MwMigrationOptions *self,
                                        const char               *source_uri,
                                        const char               *domain_name)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *downtime = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);

  if (self->max_downtime_ms == 0 || self->mode == MW_MIGRATION_MODE_OFFLINE)
    return NULL;

  downtime = g_strdup_printf ("%u", self->max_downtime_ms);
  builder = virsh_builder_new (source_uri);
  g_strv_builder_addv (builder, (const char *[]) { "migrate-setmaxdowntime",
                                                   "--domain", domain_name,
                                                   "--downtime", downtime, NULL });

  return g_strv_builder_end (builder);
}

char *
mw_migration_options_to_virsh_text (const MwMigrationOptions  *self,
                                    const char                *source_uri,
                                    const char                *domain_name,
                                    const char                *dest_uri,
                                    GError                   **error)
{
  g_auto(GStrv) migrate = NULL;
  g_auto(GStrv) downtime = NULL;
  g_autofree char *migrate_line = NULL;
  g_autofree char *downtime_line = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (domain_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  migrate = mw_migration_options_to_virsh (self, source_uri, domain_name, dest_uri, error);
  if (migrate == NULL)
    return NULL;
  migrate_line = mw_shell_join ((const char * const *) migrate);

  downtime = mw_migration_options_to_virsh_downtime (self, source_uri, domain_name);
  if (downtime == NULL)
    return g_steal_pointer (&migrate_line);

  downtime_line = mw_shell_join ((const char * const *) downtime);
  /* Translators: a shell comment between two commands; keep it on one line. */
  return g_strdup_printf ("%s\n# %s\n%s", migrate_line,
                          _("While it runs, from another terminal:"), downtime_line);
}

const char *
mw_migration_options_explain (const MwMigrationOptions *self,
                              MwMigrationOption         option)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (option)
    {
    case MW_MIGRATION_OPTION_MODE:
      return self->mode == MW_MIGRATION_MODE_LIVE
               ? _("The guest keeps running while its memory is copied; it pauses only for a "
                   "moment at the end.")
               : _("Only the guest’s definition moves; the guest must be shut off.");

    case MW_MIGRATION_OPTION_PERSISTENCE:
      return self->persistence == MW_MIGRATION_PERSISTENCE_MOVE
               ? _("The guest is defined on the destination and removed from the source: it "
                   "now lives there.")
               : _("The guest runs on the destination until it shuts down, then exists only on "
                   "the source again.");

    case MW_MIGRATION_OPTION_STORAGE:
      switch (self->storage)
        {
        case MW_MIGRATION_STORAGE_COPY_ALL:
          return _("Every disk is copied to the destination while the guest runs; the "
                   "destination needs the space and disks of the same size.");
        case MW_MIGRATION_STORAGE_COPY_INCREMENTAL:
          return _("Only the top layer of each disk is copied; the destination must already "
                   "have the same backing images.");
        case MW_MIGRATION_STORAGE_SHARED:
        default:
          return _("Both hosts see the same disks (NFS, Ceph, iSCSI…); no disk data is "
                   "copied.");
        }

    case MW_MIGRATION_OPTION_MAX_DOWNTIME:
      return self->max_downtime_ms == 0
               ? _("The guest may pause for up to QEMU’s default (300 ms) when it switches "
                   "hosts.")
               : _("The longest pause you accept when the guest switches hosts; a longer one "
                   "lets a busy guest finish sooner.");

    case MW_MIGRATION_OPTION_BANDWIDTH:
      return self->bandwidth_mib_s == 0
               ? _("The migration may use all the bandwidth between the hosts.")
               : _("Limits the migration’s bandwidth to spare other traffic; a busy guest may "
                   "then never finish.");

    case MW_MIGRATION_OPTION_AUTO_CONVERGE:
      return _("Slows the guest’s processors step by step until its memory can be copied "
               "faster than it changes.");

    case MW_MIGRATION_OPTION_POSTCOPY:
      return _("Lets you switch a migration that does not finish to post-copy: the guest moves "
               "at once and fetches the rest of its memory over the network.");

    case MW_MIGRATION_OPTION_COMPRESSION:
      switch (self->compression)
        {
        case MW_MIGRATION_COMPRESSION_XBZRLE:
          return _("Sends only the changed bytes of pages sent before (XBZRLE): helps a guest "
                   "that rewrites the same memory, costs CPU on both hosts.");
        case MW_MIGRATION_COMPRESSION_MT:
          return _("Compresses memory pages with several threads: helps on a slow link, costs "
                   "a lot of CPU on both hosts.");
        case MW_MIGRATION_COMPRESSION_ZLIB:
          return _("Compresses each parallel connection with zlib: helps on a slow link, costs "
                   "CPU on both hosts.");
        case MW_MIGRATION_COMPRESSION_ZSTD:
          return _("Compresses each parallel connection with zstd: faster than zlib for the "
                   "same saving; costs CPU on both hosts.");
        case MW_MIGRATION_COMPRESSION_NONE:
        default:
          return _("Memory is sent as it is, which is best on a fast link.");
        }

    case MW_MIGRATION_OPTION_CONNECTION:
      switch (self->connection)
        {
        case MW_MIGRATION_CONNECTION_CLIENT:
          return _("This computer drives the migration; it fails if this app is closed before "
                   "the end.");
        case MW_MIGRATION_CONNECTION_TUNNELLED:
          return _("The source host drives the migration and sends the memory through its "
                   "libvirt connection to the destination, with no extra port to open.");
        case MW_MIGRATION_CONNECTION_PEER_TO_PEER:
        default:
          return _("The source host drives the migration itself, so it must be able to log in "
                   "to the destination; it notices at once if the destination fails.");
        }

    case MW_MIGRATION_OPTION_TLS:
      return _("Encrypts the migration data; both hosts need libvirt’s migration "
               "certificates.");

    case MW_MIGRATION_OPTION_UNSAFE:
      return _("Skips libvirt’s checks that the disks are really shared and safely cached; use "
               "it only when you know they are.");

    case MW_MIGRATION_OPTION_PARALLEL:
      return self->parallel_connections == 0
               ? _("Memory is sent over one connection.")
               : _("Memory is sent over several connections at once, each with its own CPU "
                   "thread: faster on a link one thread cannot fill.");

    case MW_MIGRATION_OPTION_ZEROCOPY:
      return _("Sends memory pages straight from the guest’s memory without copying them "
               "first: saves CPU on the source; needs parallel connections and locked memory.");

    default:
      g_return_val_if_reached (NULL);
    }
}
