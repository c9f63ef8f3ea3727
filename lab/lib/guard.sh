# SPDX-License-Identifier: GPL-3.0-or-later
# guard.sh: only root on this machine reaches the lab. Its hosts run libvirtd with auth_tcp=none
# and QEMU as root, so a connection to them is root on this machine: the nftables table
# "inet mwlab" rejects whatever a process of a user not in its set "users" sends out of the
# desktop's leg, and forwards nothing into it. The set holds root, and the users that
# "sudo/pkexec mig-wizard-lab up" prepared (users.sh). Packets the kernel sends by itself (no
# socket: ARP/ND, TCP resets) pass. up adds the table before the leg exists; down deletes it,
# the rest of the ruleset as it was.

GUARD_TABLE=mwlab
GUARD_SET=users

guard_present () { nft list table inet "$GUARD_TABLE" > /dev/null 2>&1; }

guard_add ()
{
  guard_present && nft delete table inet "$GUARD_TABLE"
  nft -f - <<NFT ||
table inet $GUARD_TABLE {
  set $GUARD_SET { type uid; elements = { 0 }; }
  chain output {
    type filter hook output priority 0; policy accept;
    oifname "$DESK_IF" meta skuid != @$GUARD_SET meta l4proto tcp reject with tcp reset
    oifname "$DESK_IF" meta skuid != @$GUARD_SET reject with icmpx type admin-prohibited
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

# guard_allow UID / guard_disallow UID: one more user through the guard, or out again.
guard_allow ()
{
  nft add element inet "$GUARD_TABLE" "$GUARD_SET" "{ $1 }" ||
    die "cannot let uid $1 through the lab's nftables guard" "check 'nft list table inet $GUARD_TABLE'"
}

guard_disallow ()
{
  if guard_present && nft get element inet "$GUARD_TABLE" "$GUARD_SET" "{ $1 }" > /dev/null 2>&1; then
    nft delete element inet "$GUARD_TABLE" "$GUARD_SET" "{ $1 }" ||
      warn "could not take uid $1 out of the nftables set inet $GUARD_TABLE $GUARD_SET"
  fi
}

# The uids the guard lets through, one a line (numbers, whatever names nft knows).
guard_uids ()
{
  nft -n -j list set inet "$GUARD_TABLE" "$GUARD_SET" 2> /dev/null |
    grep -o '"elem": *\[[^]]*\]' | grep -o '[0-9]\+' | sort -n || true
}
