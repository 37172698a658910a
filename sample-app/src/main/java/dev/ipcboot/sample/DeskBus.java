package dev.ipcboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.dbus.DBusConnectedEvent;
import dev.ipcboot.dbus.DBusExport;
import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.dbus.DBusHeaders;
import dev.ipcboot.listener.IpcListener;

/**
 * The order desk on D-Bus: the desk is exported at {@value #PATH} with its status and a
 * {@code PlaceOrder} method, each placed order is announced with an {@code OrderPlaced}
 * signal, and the {@code desk-orders} subscription of {@code application.yml} hears it
 * back. At start-up the bus address is logged with commands to paste into a shell, and
 * written to {@code dbus-address} in the desk's private directory.
 */
@Configuration(proxyBeanMethods = false)
public class DeskBus {

	static final String PATH = "/dev/ipcboot/sample/Desk";

	private static final Log logger = LogFactory.getLog(DeskBus.class);

	@Bean
	Desk desk(DBusTemplate template) {
		return new Desk(template);
	}

	@Bean
	OrderAnnouncements orderAnnouncements(StateDirectory directory) {
		return new OrderAnnouncements(directory);
	}

	/** The D-Bus interface of the order desk, as busctl and gdbus see it. */
	@DBusInterfaceName("dev.ipcboot.sample.OrderDesk")
	public interface OrderDesk extends DBusInterface {

		/**
		 * Whether the desk is open and how many orders it took.
		 * @return a line of text
		 */
		String Status();

		/**
		 * Place an order.
		 * @param item what to order
		 * @param quantity how many, at least one
		 * @return the order number
		 */
		int PlaceOrder(String item, int quantity);

		/** Emitted for every order placed. */
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

	/** The exported desk. */
	@DBusExport(path = PATH)
	static class Desk implements OrderDesk {

		private final AtomicInteger orders = new AtomicInteger();

		private final DBusTemplate template;

		Desk(DBusTemplate template) {
			this.template = template;
		}

		@Override
		public String Status() {
			return "open, " + this.orders.get() + " orders taken";
		}

		@Override
		public int PlaceOrder(String item, int quantity) {
			if (quantity < 1) {
				// reaches the caller as a D-Bus error reply; the desk keeps serving
				throw new IllegalArgumentException("quantity must be at least 1, was " + quantity);
			}
			int number = this.orders.incrementAndGet();
			try {
				this.template.emit(new OrderPlaced(PATH, item, quantity));
			}
			catch (DBusException ex) {
				throw new IllegalStateException("Could not announce order " + number, ex);
			}
			return number;
		}

		@Override
		public String getObjectPath() {
			return PATH;
		}

	}

	/** Hears the desk's own signal back through the {@code desk-orders} channel. */
	static class OrderAnnouncements {

		static final String ADDRESS_FILE = "dbus-address";

		private final StateDirectory directory;

		OrderAnnouncements(StateDirectory directory) {
			this.directory = directory;
		}

		@IpcListener("desk-orders")
		void orderPlaced(String item, int quantity, @Header(DBusHeaders.SENDER) String sender) {
			logger.debug("D-Bus signal OrderPlaced from " + sender + ": " + quantity + " x " + item);
		}

		@EventListener
		void connected(DBusConnectedEvent event) throws IOException {
			String address = event.address();
			// for shells: busctl --address="$(cat <order-desk.dir>/dbus-address)" ...
			this.directory.write(ADDRESS_FILE, address.getBytes(StandardCharsets.UTF_8), "rw-------");
			logger
				.info("""
						Order desk on D-Bus at %1$s as %2$s. Try:
						  busctl --address=%1$s introspect %2$s %3$s
						  busctl --address=%1$s call %2$s %3$s dev.ipcboot.sample.OrderDesk PlaceOrder si coffee 2
						  gdbus call --address %1$s --dest %2$s --object-path %3$s --method dev.ipcboot.sample.OrderDesk.Status
						  DBUS_SESSION_BUS_ADDRESS=%1$s gdbus monitor --session --dest %2$s"""
					.formatted(address, "dev.ipcboot.OrderDesk", PATH));
		}

	}

}
