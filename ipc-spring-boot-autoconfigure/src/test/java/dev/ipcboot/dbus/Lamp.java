package dev.ipcboot.dbus;

import java.util.List;

import org.freedesktop.dbus.TypeRef;
import org.freedesktop.dbus.annotations.DBusBoundProperty;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * An exported interface with properties, as dbus-java's code generator writes them.
 */
@DBusInterfaceName("dev.ipcboot.test.Lamp")
public interface Lamp extends DBusInterface {

	@DBusBoundProperty
	String getColor();

	@DBusBoundProperty
	void setColor(String color);

	@DBusBoundProperty
	int getBrightness();

	/**
	 * dbus-java introspects a plain {@code List} property as {@code av}; the type says
	 * {@code as}.
	 */
	@DBusBoundProperty(type = StringList.class)
	List<String> getModes();

	String Describe();

	/** The type of a list of strings, for dbus-java's introspection. */
	interface StringList extends TypeRef<List<String>> {

	}

}
