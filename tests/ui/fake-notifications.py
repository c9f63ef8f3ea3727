#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for the desktop's notification server, for tests in a private D-Bus session.

Usage: fake-notifications.py -- PROGRAM ARGS...

Owns org.freedesktop.Notifications on the session bus, writes every Notify call it receives as
one JSON line ({"id", "app_name", "summary", "body", "actions"}) to a file named in
$MW_NOTIFY_LOG, which it sets for PROGRAM, and runs PROGRAM. The extra interface
com.example.MigWizard.FakeNotifications has InvokeAction(u id, s action), which emits
ActionInvoked from the server's own name, as a desktop does when the notification is clicked.
Exits with PROGRAM's status."""

import json
import os
import sys
import tempfile

from gi.repository import Gio, GLib

INTROSPECTION = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
  <interface name="com.example.MigWizard.FakeNotifications">
    <method name="InvokeAction">
      <arg type="u" direction="in"/><arg type="s" direction="in"/>
    </method>
  </interface>
</node>
"""
PATH = "/org/freedesktop/Notifications"


class Server:
    def __init__(self, log_path):
        self.log_path = log_path
        self.last_id = 0
        self.connection = None

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        if method == "Notify":
            app_name, replaces, _icon, summary, body, actions, _hints, _timeout = params.unpack()
            self.last_id = replaces if replaces != 0 else self.last_id + 1
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"id": self.last_id, "app_name": app_name,
                                      "summary": summary, "body": body,
                                      "actions": actions}) + "\n")
            invocation.return_value(GLib.Variant("(u)", (self.last_id,)))
        elif method == "CloseNotification":
            invocation.return_value(None)
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("fake", "MigWizard", "1", "1.2")))
        elif method == "InvokeAction":
            connection.emit_signal(None, PATH, "org.freedesktop.Notifications", "ActionInvoked",
                                   GLib.Variant("(us)", params.unpack()))
            invocation.return_value(None)


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    argv = sys.argv[sys.argv.index("--") + 1:]
    log_dir = tempfile.mkdtemp(prefix="mw-notify-")
    log_path = os.path.join(log_dir, "notifications.jsonl")
    open(log_path, "w").close()

    server = Server(log_path)
    loop = GLib.MainLoop()
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gio.DBusNodeInfo.new_for_xml(INTROSPECTION)
    for interface in node.interfaces:
        bus.register_object(PATH, interface, server.on_call, None, None)
    reply = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "RequestName",
                          GLib.Variant("(su)", ("org.freedesktop.Notifications", 4)),
                          GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, -1, None)
    if reply.unpack()[0] != 1:
        sys.exit("fake-notifications: org.freedesktop.Notifications is taken")

    launcher = Gio.SubprocessLauncher.new(Gio.SubprocessFlags.NONE)
    launcher.setenv("MW_NOTIFY_LOG", log_path, True)
    child = launcher.spawnv(argv)
    status = []

    def on_done(proc, result):
        proc.wait_finish(result)
        status.append(proc.get_exit_status() if proc.get_if_exited() else 128 + proc.get_term_sig())
        loop.quit()

    child.wait_async(None, on_done)
    loop.run()
    os.unlink(log_path)
    os.rmdir(log_dir)
    sys.exit(status[0])


if __name__ == "__main__":
    main()
