# SPDX-License-Identifier: GPL-3.0-or-later
# teardown.sh: down. Works from whatever a previous up left, even killed half-way and even
# without the state files: processes are found by the lab's namespaces, mounts by path.

# PIDs of every process inside a lab namespace (network or persisted mount namespace).
lab_pids ()
{
  local ns h id self ids=()
  for ns in "$NS_A" "$NS_B" "$NS_SW"; do
    netns_exists "$ns" && ip netns pids "$ns" 2> /dev/null
  done
  self=$(ns_id /proc/self/ns/mnt)
  for h in "${HOSTS[@]}"; do
    [ -e "$NS_DIR/$h.mnt" ] || continue
    id=$(ns_id "$NS_DIR/$h.mnt") || continue
    # Not a namespace (no longer bind-mounted: a plain file, on another device), or our own.
    if [ "${id%%:*}" != "${self%%:*}" ] || [ "$id" = "$self" ]; then continue; fi
    ids+=("$id")
  done
  # Every process's mount namespace in one stat (one per process took half a minute under load).
  if [ ${#ids[@]} -gt 0 ]; then
    stat -L -c '%n %d:%i' /proc/[0-9]*/ns/mnt 2> /dev/null |
      awk -v ids="${ids[*]}" 'BEGIN { split(ids, l, " "); for (i in l) want[l[i]] = 1 }
                              $2 in want { split($1, p, "/"); print p[3] }'
  fi
  # Pid files are not trusted on their own: a stale one may name someone else's process now.
  true
}

# Mount points under the state dir in this (root) mount namespace, deepest first.
lab_mounts ()
{
  awk -v s="$STATE" '$5 == s || index($5, s "/") == 1 { print $5 }' /proc/self/mountinfo |
    awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2- | uniq
}

lab_present ()
{
  local ns
  for ns in "$NS_A" "$NS_B" "$NS_SW"; do netns_exists "$ns" && return 0; done
  [ -n "$(lab_mounts)" ] && return 0
  ip link show "$DESK_IF" > /dev/null 2>&1 && return 0
  [ -n "$(find "$STATE" -mindepth 1 -maxdepth 1 ! -name "$STATE_MARK" -print -quit 2> /dev/null)" ] &&
    return 0
  grep -qxF "$SSH_BLOCK_BEGIN" "$(root_ssh_dir)/config" 2> /dev/null && return 0
  guard_present && return 0
  return 1
}

do_down ()
{
  local pids m ns d
  check_state_dir
  # 0. A cut link (link_cut) would go with its namespaces anyway; removed first, while the
  # hosts' mount namespaces can still be entered.
  link_restore > /dev/null 2>&1 || true
  # 1. Processes: pinger, probe, libvirtd, sshd, QEMU: TERM, then KILL after 5 s.
  mapfile -t pids < <(lab_pids | grep -E '^[0-9]+$' | grep -vx "$$" | sort -un)
  if [ ${#pids[@]} -gt 0 ]; then
    info "stopping ${#pids[@]} lab processes: ${pids[*]}"
    kill_pids 5 "${pids[@]}"
  fi
  # 2. Mounts: the persisted namespaces and the ns dir itself.
  while read -r m; do
    [ -n "$m" ] || continue
    umount "$m" 2> /dev/null || umount -l "$m" 2> /dev/null ||
      warn "could not unmount $m"
  done < <(lab_mounts)
  # 3. Network namespaces (their veths, bridges and the desktop's leg go with them).
  for ns in "$NS_A" "$NS_B" "$NS_SW"; do
    netns_exists "$ns" && { ip netns del "$ns" 2> /dev/null || warn "could not delete netns $ns"; }
  done
  # The leg goes with the switch's namespace, which the kernel frees in the background: it may
  # still be listed and gone a moment later (seen under load), which is no reason to stop here.
  if ip link show "$DESK_IF" > /dev/null 2>&1; then ip link del "$DESK_IF" 2> /dev/null || true; fi
  guard_remove
  # 4. The desktop's ssh config block, and what up did for users (users.sh).
  ssh_config_remove
  lab_users_remove
  # 5. The /run/netns mount that "ip netns add" made, when there was none before.
  if [ -f "$STATE/netns-mount-created" ] && [ -d /run/netns ] && [ -z "$(ls -A /run/netns)" ]; then
    while mountpoint -q /run/netns; do umount /run/netns 2> /dev/null || break; done
  fi
  # 6. Directories the lab made outside its state dir, newest first, only when empty.
  if [ -f "$STATE/created-dirs" ]; then
    while read -r d; do
      [ -n "$d" ] && [ -d "$d" ] || continue
      if [ "$d" = /run/netns ] && [ -n "$(ls -A /run/netns)" ]; then
        continue
      fi
      rmdir "$d" 2> /dev/null || warn "left $d in place: it is not empty"
    done < <(tac "$STATE/created-dirs")
  fi
  # 7. The state dir, once nothing is mounted under it any more: removed when up made it,
  # emptied when up was given it empty.
  if [ -n "$(lab_mounts)" ]; then
    die "mounts are still present under $STATE: $(lab_mounts | tr '\n' ' ')" \
        "unmount them by hand (umount -l PATH), then run '$PROG down' again"
  fi
  case "$(cat "$STATE/$STATE_MARK" 2> /dev/null)" in
    created) rm -rf --one-file-system -- "$STATE" ;;
    adopted) find "$STATE" -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system -- {} + ;;
  esac
}
