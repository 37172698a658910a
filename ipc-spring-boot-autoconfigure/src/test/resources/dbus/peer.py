# A D-Bus peer written with python3-dbus, for the starter's tests: methods to call,
# a signal to emit on request, a descriptor to hand out, and bus names to take and release.
import os
import select
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
IFACE = 'dev.ipcboot.test.Peer'
address = sys.argv[1]
names = sys.argv[2:]
bus = dbus.bus.BusConnection(address)


class Peer(dbus.service.Object):

    def __init__(self):
        super().__init__(bus, '/dev/ipcboot/Peer')
        self.pipe = None
        self.owned = {}
        self.properties = {'Name': dbus.String('python peer'), 'Volume': dbus.UInt32(7),
                           'Tags': dbus.Array(['a', 'b'], signature='s')}

    @dbus.service.method(IFACE, in_signature='s', out_signature='s')
    def Echo(self, text):
        return 'echo:' + text

    @dbus.service.method(IFACE, in_signature='ii', out_signature='i')
    def Add(self, a, b):
        return a + b

    @dbus.service.method(IFACE, in_signature='u', out_signature='', async_callbacks=('ok', 'err'))
    def Stall(self, millis, ok, err):
        GLib.timeout_add(millis, lambda: ok() or False)

    @dbus.service.method(IFACE, in_signature='s', out_signature='')
    def Refuse(self, why):
        raise dbus.exceptions.DBusException(why, name='dev.ipcboot.test.Error.Refused')

    @dbus.service.method(IFACE, in_signature='', out_signature='h')
    def OpenPipe(self):
        read_end, write_end = os.pipe()
        self.pipe = read_end
        handed = dbus.types.UnixFd(write_end)
        os.close(write_end)
        return handed

    @dbus.service.method(IFACE, in_signature='', out_signature='b')
    def PipeClosed(self):
        readable, _, _ = select.select([self.pipe], [], [], 0)
        return bool(readable) and os.read(self.pipe, 1) == b''

    @dbus.service.signal(IFACE, signature='bs')
    def Changed(self, flag, text):
        pass

    @dbus.service.method(IFACE, in_signature='bs', out_signature='')
    def EmitChanged(self, flag, text):
        self.Changed(flag, text)

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='ss', out_signature='v')
    def Get(self, interface, name):
        if interface != IFACE or name not in self.properties:
            raise dbus.exceptions.DBusException('no property ' + name,
                                                name='org.freedesktop.DBus.Error.UnknownProperty')
        return self.properties[name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='s', out_signature='a{sv}')
    def GetAll(self, interface):
        return self.properties if interface == IFACE else {}

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature='ssv', out_signature='')
    def Set(self, interface, name, value):
        if interface != IFACE or name != 'Volume':
            raise dbus.exceptions.DBusException(name + ' is read-only',
                                                name='org.freedesktop.DBus.Error.PropertyReadOnly')
        self.properties[name] = dbus.UInt32(value)

    @dbus.service.method(IFACE, in_signature='s', out_signature='')
    def TakeName(self, name):
        self.owned[name] = dbus.service.BusName(name, bus, do_not_queue=True)

    @dbus.service.method(IFACE, in_signature='s', out_signature='')
    def ReleaseName(self, name):
        bus.release_name(name)
        self.owned.pop(name, None)


peer = Peer()
held = [dbus.service.BusName(name, bus, do_not_queue=True) for name in names]
print('ready ' + bus.get_unique_name(), flush=True)
GLib.MainLoop().run()
