package dev.ipcboot.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A client of one socket server, local or TCP, configured under
 * {@code ipc.clients.<name>} and injectable with {@code @Qualifier("<name>")}.
 * <p>
 * Payloads are written as the server's framing expects: {@code byte[]} as is, a
 * {@code String} as UTF-8, any other object as JSON through the application's JSON
 * mapper. The framings carry no correlation id, so every request has a connection to
 * itself until its reply arrives: concurrent callers never receive each other's replies.
 * A connection the server closed (a restarted server) is replaced on the next call.
 */
public interface IpcClient {

	/**
	 * Name of the client in configuration.
	 * @return the name
	 */
	String name();

	/**
	 * Write one message and do not wait for a reply. Meant for listeners that return
	 * nothing; a reply the server sends anyway is never read.
	 * @param payload the message
	 * @throws IpcClientException if the server cannot be reached or the write fails
	 */
	void send(Object payload);

	/**
	 * Write one message and wait for its reply.
	 * @param payload the message
	 * @return the reply's bytes
	 * @throws IpcClientTimeoutException if no reply came within the request timeout
	 * @throws IpcClientException if the server cannot be reached, closes the connection
	 * before replying, or the reply exceeds the maximum message size
	 */
	byte[] request(Object payload);

	/**
	 * Write one message and convert its reply: {@code byte[]} as is, {@code String} from
	 * UTF-8, any other type from JSON.
	 * @param <T> the reply type
	 * @param payload the message
	 * @param replyType the type to convert the reply to
	 * @return the converted reply
	 * @throws IpcClientTimeoutException if no reply came within the request timeout
	 * @throws IpcClientException if the request fails or the reply cannot be converted
	 */
	<T> T request(Object payload, Class<T> replyType);

	/**
	 * Write one message on a thread of this client and complete with its reply.
	 * @param payload the message
	 * @return a future that completes with the reply's bytes, or exceptionally with an
	 * {@link IpcClientException}
	 */
	CompletableFuture<byte[]> requestAsync(Object payload);

	/**
	 * Like {@link #requestAsync(Object)}, converting the reply as
	 * {@link #request(Object, Class)} does.
	 * @param <T> the reply type
	 * @param payload the message
	 * @param replyType the type to convert the reply to
	 * @return a future that completes with the converted reply
	 */
	<T> CompletableFuture<T> requestAsync(Object payload, Class<T> replyType);

}
