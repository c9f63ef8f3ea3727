# SPDX-License-Identifier: GPL-3.0-or-later
# guest-build.sh: the lab guest, built only from Debian packages: the 6.1 cloud kernel
# (apt-get download + dpkg-deb -x) and a busybox-static initramfs with a static dirtier.
# Cached under $CACHE/guest, rebuilt when the guest files or the kernel package change.

GUEST_MODULES=(virtio_pci virtio_net virtio_blk)

# The kernel package: the one the linux-image-cloud-amd64 meta-package points at, so a
# bookworm point release moves it forward; MW_LAB_KERNEL_PKG overrides.
kernel_package ()
{
  local pkg=${MW_LAB_KERNEL_PKG:-}
  if [ -z "$pkg" ]; then
    pkg=$(apt-cache depends linux-image-cloud-amd64 2> /dev/null |
          sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-cloud-amd64\)$/\1/p' | head -n1)
  fi
  if [ -z "$pkg" ]; then
    # Offline or no meta-package: any 6.1 cloud kernel .deb already in the cache will do.
    pkg=$(ls "$CACHE"/linux-image-6.1.*-cloud-amd64_*.deb 2> /dev/null | sort -V | tail -n1 |
          sed 's|.*/||; s|_.*||')
  fi
  [ -n "$pkg" ] ||
    die "cannot find a linux-image-6.1.*-cloud-amd64 package for the guest" \
        "run 'apt-get update' (bookworm main/security must be in the apt sources)"
  echo "$pkg"
}

guest_build_key ()
{
  # Content of the guest's own files + the kernel .deb name it was built from.
  { cat "$LAB_DATA"/guest/init "$LAB_DATA"/guest/rc "$LAB_DATA"/guest/inittab \
        "$LAB_DATA"/guest/dirtier.c "$LAB_DATA"/guest/www/index.html "$LAB_DATA"/guest/www/cgi-bin/*
    ls "$CACHE"/linux-image-*.deb 2> /dev/null | sort -V | tail -n1; } | md5sum | cut -d' ' -f1
}

kernel_deb () { ls "$CACHE/${1}"_*.deb 2> /dev/null | sort -V | tail -n1 || true; }

# verify_kernel_deb DEB PKG [VERSION]: DEB is PKG (VERSION when given) for amd64, and its SHA256
# is the one apt's signed index lists for it. A .deb of a version apt does not know (dropped in
# by hand, offline) passes on its name alone, with a warning. Says why not on stdout.
verify_kernel_deb ()
{
  local deb=$1 pkg=$2 want=${3:-} name ver arch sums sum
  name=$(dpkg-deb -f "$deb" Package 2> /dev/null) || name=
  ver=$(dpkg-deb -f "$deb" Version 2> /dev/null) || ver=
  arch=$(dpkg-deb -f "$deb" Architecture 2> /dev/null) || arch=
  if [ "$name" != "$pkg" ] || [ "$arch" != amd64 ] || { [ -n "$want" ] && [ "$ver" != "$want" ]; }; then
    echo "it is ${name:-not a Debian package} $ver $arch, not $pkg ${want:-any version} amd64"
    return 1
  fi
  sums=$(apt-cache show "$pkg=$ver" 2> /dev/null | sed -n 's/^SHA256: //p')
  if [ -z "$sums" ]; then
    [ -z "$want" ] || { echo "apt's index lists no SHA256 for $pkg $ver"; return 1; }
    warn "apt's index does not list $pkg $ver (offline?): $deb is checked by its name only"
    return 0
  fi
  sum=$(sha256sum < "$deb" | cut -d' ' -f1)
  printf '%s\n' "$sums" | grep -qxF "$sum" ||
    { echo "its SHA256 $sum is not the one apt's index lists for $pkg $ver"; return 1; }
}

# apt-get download into a directory only root and apt's download user can enter (apt keeps
# its sandbox), then a root-owned copy is checked against apt's index before it joins the cache.
fetch_kernel_deb ()
{
  local pkg=$1 ver dl f tmp why
  [ -z "$(kernel_deb "$pkg")" ] || return 0
  ver=$(apt-cache policy "$pkg" 2> /dev/null | sed -n 's/^ *Candidate: //p')
  case "$ver" in
    ''|'(none)') die "apt has no version of $pkg to download" \
                     "run 'apt-get update', or drop a ${pkg}_*.deb into $CACHE" ;;
  esac
  say "Downloading the guest kernel package $pkg $ver (Debian archive, via apt)"
  dl=$(mktemp -d "$CACHE/.download.XXXXXX")
  if getent passwd _apt > /dev/null; then chown _apt "$dl"; fi
  if ! ( cd "$dl" && apt-get download -q "$pkg=$ver" 9<&- ) > "$CACHE/download.log" 2>&1; then
    rm -rf "$dl"
    die "apt-get download $pkg failed (log: $CACHE/download.log)" \
        "check apt works (apt-get update), or drop a ${pkg}_*.deb into $CACHE"
  fi
  f=$(find "$dl" -maxdepth 1 -type f -name "${pkg}_*.deb" -print -quit)
  tmp="$CACHE/.${pkg}.deb.part"
  if [ -z "$f" ] || ! install -m 644 -- "$f" "$tmp"; then
    rm -rf "$dl"
    die "apt-get download $pkg left no ${pkg}_*.deb (log: $CACHE/download.log)"
  fi
  rm -rf "$dl"
  why=$(verify_kernel_deb "$tmp" "$pkg" "$ver") ||
    { rm -f "$tmp"; die "the downloaded ${f##*/} is not what apt's index lists: $why" \
                        "run 'apt-get update', then '$PROG up' again"; }
  mv -f "$tmp" "$CACHE/${f##*/}"
}

build_guest ()
{
  local pkg t0 out="$CACHE/guest" work deb why
  mkdir -p "$CACHE"
  pkg=$(kernel_package)
  fetch_kernel_deb "$pkg"
  if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$(guest_build_key)" ] &&
     [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.gz" ]; then
    return 0
  fi
  t0=$(now_ms)
  say "Building the guest (kernel from $pkg, busybox-static initramfs)"
  deb=$(kernel_deb "$pkg")
  why=$(verify_kernel_deb "$deb" "$pkg") ||
    die "$deb is not the guest kernel package it is named after: $why" \
        "remove it; '$PROG up' then downloads $pkg again"
  work="$CACHE/.build"
  rm -rf "$work" "$out"
  mkdir -p "$work/kernel" "$work/root" "$out"
  dpkg-deb -x "$deb" "$work/kernel"

  local r="$work/root" kver m f
  kver=$(ls "$work/kernel/lib/modules")
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,lib/modules,www/cgi-bin}
  cp /bin/busybox "$r/bin/busybox"
  # Applet links made here, so the guest does not spend boot time on busybox --install.
  for f in $("$r/bin/busybox" --list-full); do
    [ -e "$r/$f" ] || ln -s /bin/busybox "$r/$f"
  done
  # The modules and what they depend on, in load order. The package has no modules.dep (depmod
  # runs at install time), so read each module's "depends=" from its .modinfo strings.
  local order=() seen=" " mdir="$work/kernel/lib/modules/$kver"
  module_path () { find "$mdir" -name "$1.ko*" -o -name "$(echo "$1" | tr _ -).ko*" | head -n1; }
  add_module ()
  {
    local name=$1 path dep
    case "$seen" in *" $name "*) return 0 ;; esac
    seen="$seen$name "
    path=$(module_path "$name")
    [ -n "$path" ] || die "kernel module $name not found in $pkg" \
                          "set MW_LAB_KERNEL_PKG to a 6.1 cloud kernel"
    case "$path" in
      *.xz) xz -dc "$path" > "$r/lib/modules/$name.ko" ;;
      *.zst) zstd -qdc "$path" > "$r/lib/modules/$name.ko" ;;
      *) cp "$path" "$r/lib/modules/$name.ko" ;;
    esac
    for dep in $(tr '\0' '\n' < "$r/lib/modules/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
      add_module "$(echo "$dep" | tr - _)"
    done
    order+=("$name")
  }
  for m in "${GUEST_MODULES[@]}"; do add_module "$m"; done
  printf '%s\n' "${order[@]}" > "$r/lib/modules/load-order"
  install -m 755 "$LAB_DATA/guest/init" "$r/init"
  install -m 755 "$LAB_DATA/guest/rc" "$r/etc/rc"
  install -m 644 "$LAB_DATA/guest/inittab" "$r/etc/inittab"
  install -m 644 "$LAB_DATA/guest/www/index.html" "$r/www/index.html"
  install -m 755 "$LAB_DATA"/guest/www/cgi-bin/* "$r/www/cgi-bin/"
  printf 'root:x:0:0:root:/:/bin/sh\n' > "$r/etc/passwd"
  printf 'root:x:0:\n' > "$r/etc/group"
  gcc -static -O2 -o "$r/bin/dirtier" "$LAB_DATA/guest/dirtier.c" 9<&- ||
    die "could not build the guest's dirtier with gcc -static" "apt-get install build-essential"
  strip "$r/bin/dirtier" 2> /dev/null || true
  ( cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1 ) > "$out/initrd.gz"
  cp "$work/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"
  echo "$pkg" > "$out/kernel-package"
  rm -rf "$work"
  guest_build_key > "$out/stamp"
  info "guest built in $(elapsed "$t0") s: $(du -h "$out/initrd.gz" | cut -f1) initramfs, kernel $kver"
}
