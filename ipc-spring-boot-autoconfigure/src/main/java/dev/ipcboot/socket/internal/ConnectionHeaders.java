package dev.ipcboot.socket.internal;

import java.util.Map;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of every message of one server connection (channel, connection id, peer
 * credentials or remote address), built once when the connection is admitted and shared
 * by all its messages, which are immutable. Unlike
 * {@link MessageHeaders#MessageHeaders(Map) ordinary headers} they carry no {@code id}
 * and {@code timestamp}: generating a random id, boxing a timestamp and copying the map
 * again for every frame was most of what a request cost the server in allocation, and
 * nothing in the contract (§2) needs them ({@link MessageHeaders#ID_VALUE_NONE} is
 * spring-messaging's own way to leave them out).
 */
final class ConnectionHeaders extends MessageHeaders {

	/** Headers of a connection that was refused before it was identified. */
	static final ConnectionHeaders NONE = new ConnectionHeaders(Map.of());

	ConnectionHeaders(Map<String, Object> headers) {
		super(headers, ID_VALUE_NONE, -1L);
	}

}
