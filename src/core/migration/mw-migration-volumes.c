/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mw-migration-volumes.c: the disk volumes a storage-copying migration needs on its destination,
 * made before it starts (libvirt copies into them) and removed again when the guest did not
 * arrive. Volume documents through libvirt-gconfig. Workers only. */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "mw-libvirt.h"
#include "mw-migration-job.h"
#include "mw-migration-volumes.h"

static void
created_volume_clear (gpointer data)
{
  MwCreatedVolume *volume = data;

  g_free (volume->pool);
  g_free (volume->name);
}

GArray *
mw_created_volumes_new (void)
{
  GArray *volumes = g_array_new (FALSE, TRUE, sizeof (MwCreatedVolume));

  g_array_set_clear_func (volumes, created_volume_clear);
  return volumes;
}

GArray *
mw_created_volumes_copy (GArray *volumes)
{
  GArray *copy = mw_created_volumes_new ();

  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    {
      const MwCreatedVolume *volume = &g_array_index (volumes, MwCreatedVolume, i);
      MwCreatedVolume dup = { g_strdup (volume->pool), g_strdup (volume->name) };

      g_array_append_val (copy, dup);
    }
  return copy;
}

/* Worker: removes the volumes this job created on the destination. */
void
mw_created_volumes_delete (virConnectPtr  dconn,
                           GArray        *volumes)
{
  for (guint i = 0; i < volumes->len; i++)
    {
      const MwCreatedVolume *volume = &g_array_index (volumes, MwCreatedVolume, i);
      virStoragePoolPtr pool = virStoragePoolLookupByName (dconn, volume->pool);
      virStorageVolPtr vol = pool != NULL ? virStorageVolLookupByName (pool, volume->name) : NULL;

      if (vol != NULL && virStorageVolDelete (vol, 0) == 0)
        g_debug ("Removed the pre-created volume %s/%s again", volume->pool, volume->name);
      else
        g_warning ("Could not remove the pre-created volume %s/%s from the destination",
                   volume->pool, volume->name);
      if (vol != NULL)
        virStorageVolFree (vol);
      if (pool != NULL)
        virStoragePoolFree (pool);
      virResetLastError ();
    }

}

/* The disk's format as libvirt's volume XML spells it ("qcow2", "raw"); NULL if not set. */
static char *
disk_format_name (GVirConfigDomainDisk *disk)
{
  GVirConfigDomainDiskDriver *driver = gvir_config_domain_disk_get_driver (disk);
  GEnumClass *enum_class;
  GEnumValue *value;
  char *name = NULL;

  if (driver == NULL)
    return NULL;
  enum_class = g_type_class_ref (GVIR_CONFIG_TYPE_DOMAIN_DISK_FORMAT);
  value = g_enum_get_value (enum_class, gvir_config_domain_disk_driver_get_format (driver));
  if (value != NULL)
    name = g_strdup (value->value_nick);
  g_type_class_unref (enum_class);
  g_object_unref (driver);
  return name;
}

/* Worker: creates on the destination, in the pool with the same name, each disk volume of the
 * domain it lacks: same name, capacity and format, sparse. */
gboolean
mw_created_volumes_precreate (virConnectPtr   sconn,
                              virConnectPtr   dconn,
                              virDomainPtr    sdom,
                              GArray         *created,
                              GError        **error)
{
  GVirConfigDomain *config = NULL;
  g_autoptr(GError) local_error = NULL;
  char *xml;
  GList *devices;
  gboolean ok = TRUE;

  xml = virDomainGetXMLDesc (sdom, 0);
  if (xml == NULL)
    {
      mw_libvirt_set_error (error, _("Could not read the virtual machine’s definition"));
      return FALSE;
    }
  config = gvir_config_domain_new_from_xml (xml, &local_error);
  free (xml);
  if (config == NULL)
    {
      g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_STORAGE,
                   _("Could not read the virtual machine’s definition: %s"), local_error->message);
      return FALSE;
    }

  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL && ok; l = l->next)
    {
      GVirConfigDomainDisk *disk;
      const char *path;
      g_autofree char *format = NULL;
      virStorageVolPtr svol = NULL;
      virStoragePoolPtr spool = NULL;
      virStoragePoolPtr dpool = NULL;
      virStorageVolPtr dvol = NULL;
      virStorageVolInfo info;
      const char *pool_name;
      const char *vol_name;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data))
        continue;
      disk = GVIR_CONFIG_DOMAIN_DISK (l->data);
      if (gvir_config_domain_disk_get_guest_device_type (disk)
            != GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK
          || gvir_config_domain_disk_get_disk_type (disk) != GVIR_CONFIG_DOMAIN_DISK_FILE)
        continue;
      path = gvir_config_domain_disk_get_source (disk);
      if (path == NULL)
        continue;
      format = disk_format_name (disk);

      /* Already there under that path (shared, or made earlier): libvirt copies into it. */
      dvol = virStorageVolLookupByPath (dconn, path);
      if (dvol != NULL)
        {
          virStorageVolFree (dvol);
          continue;
        }
      virResetLastError ();

      svol = virStorageVolLookupByPath (sconn, path);
      if (svol == NULL || (spool = virStoragePoolLookupByVolume (svol)) == NULL
          || virStorageVolGetInfo (svol, &info) < 0)
        {
          g_autofree char *prefix =
            g_strdup_printf (_("The disk %s is in no storage pool on the source, so it cannot be "
                               "created on the destination; create it there by hand or add a "
                               "pool for its directory on both hosts"), path);

          mw_libvirt_set_error (error, prefix);
          (*error)->domain = MW_MIGRATION_JOB_ERROR;
          (*error)->code = MW_MIGRATION_JOB_ERROR_STORAGE;
          ok = FALSE;
          goto next;
        }
      pool_name = virStoragePoolGetName (spool);
      vol_name = virStorageVolGetName (svol);

      dpool = virStoragePoolLookupByName (dconn, pool_name);
      if (dpool == NULL)
        {
          virResetLastError ();
          g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_STORAGE,
                       _("The destination has no storage pool “%s” for the disk %s. Define a "
                         "pool with that name on the destination, then try again."),
                       pool_name, path);
          ok = FALSE;
          goto next;
        }

      dvol = virStorageVolLookupByName (dpool, vol_name);
      if (dvol == NULL)
        {
          GVirConfigStorageVol *vol_config = gvir_config_storage_vol_new ();
          GVirConfigStorageVolTarget *target = gvir_config_storage_vol_target_new ();
          g_autofree char *vol_xml = NULL;

          virResetLastError ();
          gvir_config_storage_vol_set_name (vol_config, vol_name);
          gvir_config_storage_vol_set_capacity (vol_config, info.capacity);
          gvir_config_storage_vol_set_allocation (vol_config, 0);
          gvir_config_storage_vol_target_set_format (target, format != NULL ? format : "raw");
          gvir_config_storage_vol_set_target (vol_config, target);
          vol_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol_config));
          g_object_unref (target);
          g_object_unref (vol_config);

          dvol = virStorageVolCreateXML (dpool, vol_xml, 0);
          if (dvol == NULL)
            {
              g_autofree char *prefix =
                g_strdup_printf (_("Could not create the volume “%s” in the pool “%s” on the "
                                   "destination"), vol_name, pool_name);

              mw_libvirt_set_error (error, prefix);
              (*error)->domain = MW_MIGRATION_JOB_ERROR;
              (*error)->code = MW_MIGRATION_JOB_ERROR_STORAGE;
              ok = FALSE;
              goto next;
            }
          else
            {
              MwCreatedVolume made = { g_strdup (pool_name), g_strdup (vol_name) };

              g_array_append_val (created, made);
              g_debug ("Pre-created %s/%s (%llu bytes, %s) on the destination", pool_name,
                       vol_name, info.capacity, format != NULL ? format : "raw");
            }
        }
      else
        {
          /* A volume of that name at another path: libvirt would not use it. */
          g_set_error (error, MW_MIGRATION_JOB_ERROR, MW_MIGRATION_JOB_ERROR_STORAGE,
                       _("The pool “%s” on the destination has a volume “%s”, but not at %s. "
                         "Remove it or make the pool’s directory the same on both hosts."),
                       pool_name, vol_name, path);
          ok = FALSE;
        }

    next:
      if (dvol != NULL)
        virStorageVolFree (dvol);
      if (dpool != NULL)
        virStoragePoolFree (dpool);
      if (spool != NULL)
        virStoragePoolFree (spool);
      if (svol != NULL)
        virStorageVolFree (svol);
      virResetLastError ();
    }
  g_list_free_full (devices, g_object_unref);
  g_object_unref (config);
  return ok;
}
