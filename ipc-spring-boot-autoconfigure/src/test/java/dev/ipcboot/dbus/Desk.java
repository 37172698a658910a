package dev.ipcboot.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * The D-Bus interface of the test order desk.
 */
@DBusInterfaceName("dev.ipcboot.test.Desk")
public interface Desk extends DBusInterface {

	String Status();

	int PlaceOrder(String item, int quantity);

	void Explode(String why);

	/** Emitted when an order is placed. */
	class OrderPlaced extends DBusSignal {

		public final String item;

		public final int quantity;

		public OrderPlaced(String path, String item, int quantity) throws DBusException {
			super(path, item, quantity);
			this.item = item;
			this.quantity = quantity;
		}

	}

}
