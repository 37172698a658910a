package dev.ipcboot.socket.internal;

import dev.ipcboot.listener.IpcListener;

/** An object listener: JSON in, JSON out. */
class OrderListener {

	record Order(String item, int quantity) {
	}

	record Receipt(String item, int quantity, String status) {
	}

	@IpcListener("orders")
	Receipt order(Order order) {
		return new Receipt(order.item(), order.quantity(), "accepted");
	}

}
