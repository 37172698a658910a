package dev.ipcboot.socket.internal;

import java.nio.charset.StandardCharsets;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.socket.IpcClientException;

/**
 * Converts request payloads and replies the way listener replies are converted:
 * {@code byte[]} as is, {@code String} as UTF-8, anything else through the application's
 * message converter (JSON). The first two never touch the converter.
 * <p>
 * Not API: public only so that the {@code transport: shm} clients and servers in
 * {@code dev.ipcboot.socket.shm} convert exactly as the socket clients do (issue 19 moves
 * such shared machinery out of the public packages).
 */
public final class ClientPayloads {

	private final String clientName;

	private final MessageConverter converter;

	/**
	 * Payloads of one client.
	 * @param clientName the client's name, for error messages
	 * @param converter the application's message converter
	 */
	public ClientPayloads(String clientName, MessageConverter converter) {
		this.clientName = clientName;
		this.converter = converter;
	}

	/**
	 * The bytes to send for a payload.
	 * @param payload the payload
	 * @return its bytes
	 * @throws IpcClientException if it cannot be converted
	 */
	public byte[] toBytes(Object payload) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		Object converted;
		try {
			Message<?> message = this.converter.toMessage(payload, null);
			converted = (message != null) ? message.getPayload() : null;
		}
		catch (RuntimeException ex) {
			throw new IpcClientException(this.clientName, "Client '" + this.clientName + "' could not convert a "
					+ payload.getClass().getName() + " to bytes: " + ex.getMessage(), ex);
		}
		if (!(converted instanceof byte[] bytes)) {
			throw new IpcClientException(this.clientName,
					"Client '" + this.clientName + "' cannot write a " + payload.getClass().getName()
							+ "; pass byte[] or String, or put Jackson on the class path for JSON");
		}
		return bytes;
	}

	/**
	 * A reply's bytes as the type the caller asked for.
	 * @param <T> the type
	 * @param reply the reply's bytes
	 * @param type the type
	 * @return the converted reply
	 * @throws IpcClientException if it cannot be converted
	 */
	@SuppressWarnings("unchecked")
	public <T> T fromBytes(byte[] reply, Class<T> type) {
		if (type == byte[].class) {
			return (T) reply;
		}
		if (type == String.class) {
			return (T) new String(reply, StandardCharsets.UTF_8);
		}
		Object converted;
		try {
			converted = this.converter.fromMessage(new GenericMessage<>(reply), type);
		}
		catch (RuntimeException ex) {
			throw new IpcClientException(this.clientName, "Client '" + this.clientName
					+ "' could not read the reply as " + type.getName() + ": " + ex.getMessage(), ex);
		}
		if (converted == null) {
			throw new IpcClientException(this.clientName, "Client '" + this.clientName + "' cannot read a reply as "
					+ type.getName() + "; ask for byte[] or String, or put Jackson on the class path for JSON");
		}
		return (T) converted;
	}

}
