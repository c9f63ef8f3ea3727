# SPDX-License-Identifier: GPL-3.0-or-later
# guard.sh: only root on this machine reaches the lab. Its hosts run libvirtd with auth_tcp=none
# and QEMU as root, so a connection to them is root on this machine: the nftables table
# "inet mwlab" rejects whatever a process of another user sends out of the desktop's leg, and
# forwards nothing into it. Packets the kernel sends by itself (no socket: ARP/ND, TCP resets)
# pass. up adds the table before the leg exists; down deletes it, the rest of the ruleset as it was.

GUARD_TABLE=mwlab

guard_present () { nft list table inet "$GUARD_TABLE" > /dev/null 2>&1; }

guard_add ()
{
  guard_present && nft delete table inet "$GUARD_TABLE"
  nft -f - <<NFT ||
table inet $GUARD_TABLE {
  chain output {
    type filter hook output priority 0; policy accept;
    oifname "$DESK_IF" meta skuid != 0 meta l4proto tcp reject with tcp reset
    oifname "$DESK_IF" meta skuid != 0 reject with icmpx type admin-prohibited
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    oifname "$DESK_IF" reject with icmpx type admin-prohibited
  }
}
NFT
    die "cannot add the nftables table that keeps users other than root out of the lab" \
        "the kernel needs nf_tables (CONFIG_NF_TABLES, CONFIG_NFT_REJECT); check 'nft list ruleset' works"
}

guard_remove ()
{
  if guard_present; then
    nft delete table inet "$GUARD_TABLE" || warn "could not delete the nftables table inet $GUARD_TABLE"
  fi
}
