package dev.ipcboot.dbus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test order desk, exported at {@code /dev/ipcboot/Desk}.
 */
@DBusExport(path = DeskBean.PATH)
public class DeskBean implements Desk {

	static final String PATH = "/dev/ipcboot/Desk";

	final AtomicInteger orders = new AtomicInteger();

	@Override
	public String Status() {
		return "open, " + this.orders.get() + " orders";
	}

	@Override
	public int PlaceOrder(String item, int quantity) {
		if (quantity <= 0) {
			throw new IllegalArgumentException("quantity must be positive, was " + quantity);
		}
		return this.orders.incrementAndGet();
	}

	@Override
	public void Explode(String why) {
		throw new IllegalStateException("exploded: " + why);
	}

	@Override
	public String getObjectPath() {
		return PATH;
	}

}
