/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mw-i18n.h"

const char *
mw_localedir (void)
{
  const char *dir = g_getenv ("MW_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}
