/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checks-test-facts.h: crafted facts for the pre-flight checks' unit tests. */
#pragma once

#include "mw-check-rules.h"

#define SHARED "/mnt/shared"

/* The guest's definition: printf pieces for <os>, the domain and <devices>. */
#define BASE_XML \
  "<domain type='kvm'>" \
  "  <name>guest</name>" \
  "  <uuid>6d77c000-0000-4000-8000-000000000010</uuid>" \
  "  <memory unit='MiB'>1024</memory>" \
  "  <os><type arch='x86_64'>hvm</type>%s</os>" \
  "  %s" \
  "  <devices>" \
  "    <disk type='file' device='disk'>" \
  "      <driver name='qemu' type='qcow2' cache='none'/>" \
  "      <source file='" SHARED "/guest.qcow2'/>" \
  "      <target dev='vda' bus='virtio'/>" \
  "    </disk>" \
  "    <interface type='bridge'>" \
  "      <mac address='52:54:00:77:00:10'/>" \
  "      <source bridge='br0'/>" \
  "    </interface>" \
  "    %s" \
  "  </devices>" \
  "</domain>"

/* A healthy host: QEMU, x86_64, Intel, 8 GiB free, the shared pool, default network, br0. */
void          add_host        (MwHostFacts   *host,
                               const char    *name,
                               const char    *uuid);
/* Facts for a guest on two healthy hosts; the XML pieces go into os, the domain and devices. */
MwCheckFacts *make_facts_full (const char    *os_extra,
                               const char    *domain_extra,
                               const char    *devices_extra);
MwCheckFacts *make_facts      (const char    *devices_extra);
/* Replaces the guest's definition (live and persistent). */
void          set_domain_xml  (MwCheckFacts  *facts,
                               const char    *xml);
/* result has state, its sentence contains in_sentence (when given), a blocking one has a fix;
 * then clears it. */
void          assert_result   (MwCheckResult *result,
                               MwCheckState   state,
                               const char    *in_sentence);
