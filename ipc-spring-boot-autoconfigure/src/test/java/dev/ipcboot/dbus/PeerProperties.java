package dev.ipcboot.dbus;

import java.util.List;

import org.freedesktop.dbus.annotations.DBusBoundProperty;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;

/**
 * The properties of the Python peer ({@code dbus/peer.py}), as a typed proxy sees them.
 */
@DBusInterfaceName("dev.ipcboot.test.Peer")
public interface PeerProperties extends DBusInterface {

	@DBusBoundProperty
	String getName();

	@DBusBoundProperty
	UInt32 getVolume();

	@DBusBoundProperty
	void setVolume(UInt32 volume);

	@DBusBoundProperty
	List<String> getTags();

	@DBusBoundProperty(name = "Missing")
	String getMissing();

}
