package dev.ipcboot.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;

/**
 * The D-Bus interface of the Python peer ({@code dbus/peer.py}).
 */
@DBusInterfaceName("dev.ipcboot.test.Peer")
public interface Peer extends DBusInterface {

	String Echo(String text);

	int Add(int a, int b);

	void Stall(UInt32 millis);

	void Refuse(String why);

}
