#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run Debian's virt-manager unchanged, plus one probe that prints when its list is drawn.

Usage (as run-bench does): MW_BENCH_EXPECT=N vmm-probe.py --no-fork --connect test:///…

virt-manager has no "list is complete" signal of its own, and its --debug log only has
1-second timestamps and says when a domain object is added, not when a row is drawn. So this
wrapper loads virt-manager exactly as /usr/bin/virt-manager does, in the same process, and
when its manager window is created connects one handler to the window's frame clock
"after-paint" signal. After each painted frame the handler counts the rows under the
connection rows of the manager's list model and checks that they are expanded; the first
frame painted with all N rows there prints

    vmm-bench: N domains drawn

on stdout, and the handler disconnects itself. The probe asks for no extra frames (no tick
callback), so it adds no idle CPU; its cost is one Python call per frame until it fires.

Limits: rows are counted in the model of the GtkTreeView after a frame was painted, which is
the state that frame drew (GTK 3 runs layout and paint in one frame-clock cycle, and rows are
only added from main-loop callbacks). As in any list, only the rows that fit in the window are
actually on screen.
"""

import importlib.abc
import importlib.util
import os
import sys

VMM_DIR = "/usr/share/virt-manager"
EXPECT = int(os.environ.get("MW_BENCH_EXPECT", "0"))


def count_domain_rows(manager):
    """Domains in the list: children of expanded connection rows."""
    model = manager.model
    treeview = manager.widget("vm-list")
    total = 0
    conn_iter = model.get_iter_first()
    while conn_iter is not None:
        if treeview.row_expanded(model.get_path(conn_iter)):
            total += model.iter_n_children(conn_iter)
        conn_iter = model.iter_next(conn_iter)
    return total


def watch_manager(manager):
    state = {"clock": None, "handler": 0}

    def on_after_paint(clock):
        count = count_domain_rows(manager)
        if count >= EXPECT > 0:
            sys.stdout.write(f"vmm-bench: {count} domains drawn\n")
            sys.stdout.flush()
            clock.disconnect(state["handler"])

    def on_realize(window):
        state["clock"] = window.get_frame_clock()
        state["handler"] = state["clock"].connect("after-paint", on_after_paint)

    if manager.topwin.get_realized():
        on_realize(manager.topwin)
    else:
        manager.topwin.connect("realize", on_realize)


class ManagerHook(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Wraps vmmManager.__init__ when virtManager.manager is first imported.

    Done lazily so Gtk is imported, and the manager built, at the moment and in the order
    virt-manager itself chooses.
    """

    def find_spec(self, fullname, path, target=None):
        if fullname != "virtManager.manager":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        self.real_loader = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self.real_loader.create_module(spec)

    def exec_module(self, module):
        self.real_loader.exec_module(module)
        real_init = module.vmmManager.__init__

        def init(manager, *args, **kwargs):
            real_init(manager, *args, **kwargs)
            watch_manager(manager)

        module.vmmManager.__init__ = init


def main():
    sys.meta_path.insert(0, ManagerHook())
    sys.argv[0] = "/usr/bin/virt-manager"
    sys.path.insert(0, VMM_DIR)
    from virtManager import virtmanager  # pylint: disable=import-outside-toplevel
    virtmanager.runcli()


if __name__ == "__main__":
    main()
