package dev.ipcboot.sample;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.SocketServerStartedEvent;

/**
 * The socket part of the order desk: a local channel {@code orders} that takes JSON
 * orders, one per line, and replies with JSON receipts, and a TCP channel {@code admin}
 * that answers {@code status} and {@code count}. Accepted orders go on to the invoice
 * worker. The {@code orders} listener takes the peer's uid as an optional header, so it
 * answers the same when {@code orders} is switched to TCP (which has no peer uid).
 */
@Component
class OrderDesk {

	private static final Log logger = LogFactory.getLog(OrderDesk.class);

	private static final Map<String, BigDecimal> PRICES = Map.of("tea", new BigDecimal("2.50"), "coffee",
			new BigDecimal("3.20"), "cake", new BigDecimal("4.00"));

	private final AtomicLong orders = new AtomicLong();

	private final Instant started = Instant.now();

	private final InvoiceWorker invoices;

	OrderDesk(InvoiceWorker invoices) {
		this.invoices = invoices;
	}

	/** An order as clients send it. */
	record Order(String item, int quantity) {
	}

	/** The reply to an order. */
	record Receipt(long orderId, String item, int quantity, BigDecimal total, String status, Integer customerUid) {
	}

	@IpcListener("orders")
	Receipt order(Order order, @Header(value = SocketHeaders.PEER_UID, required = false) Integer uid) {
		BigDecimal price = PRICES.get(order.item());
		if (price == null || order.quantity() <= 0) {
			return new Receipt(0, order.item(), order.quantity(), BigDecimal.ZERO,
					"rejected: we sell " + PRICES.keySet() + " in positive quantities", uid);
		}
		long id = this.orders.incrementAndGet();
		this.invoices.invoice("order " + id + " " + order.quantity() + " " + order.item() + " " + price);
		return new Receipt(id, order.item(), order.quantity(), price.multiply(BigDecimal.valueOf(order.quantity())),
				"accepted", uid);
	}

	@IpcListener("admin")
	String admin(String command) {
		return switch (command.trim()) {
			case "status" -> "up since " + this.started;
			case "count" -> "orders: " + this.orders.get();
			default -> "unknown command '" + command.trim() + "'; try status or count";
		};
	}

	@EventListener
	void listening(SocketServerStartedEvent event) {
		String hint = (event.port() < 0) ? "socat - UNIX-CONNECT:" + event.address() : "socat - TCP:" + event.address();
		logger.info(
				"Order desk channel '" + event.resourceName() + "' listening on " + event.address() + "; try: " + hint);
	}

}
