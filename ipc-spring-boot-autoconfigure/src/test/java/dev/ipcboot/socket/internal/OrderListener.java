package dev.ipcboot.socket.internal;

import dev.ipcboot.listener.IpcListener;

/**
 * An object listener: JSON in, JSON out. Listens to the server {@code orders}, or to the
 * one named by {@code test.orders.server}.
 */
class OrderListener {

	record Order(String item, int quantity) {
	}

	record Receipt(String item, int quantity, String status) {
	}

	@IpcListener("${test.orders.server:orders}")
	Receipt order(Order order) {
		return new Receipt(order.item(), order.quantity(), "accepted");
	}

}
