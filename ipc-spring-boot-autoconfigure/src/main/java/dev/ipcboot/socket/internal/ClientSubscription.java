package dev.ipcboot.socket.internal;

/**
 * The kept-open connection of a client with {@code subscribe: true}, whose pushes go to
 * the client's {@code @IpcListener}. {@link EngineClientSubscription} runs it on the
 * application's {@link SocketEngine} (no thread of its own);
 * {@link BlockingClientSubscription} is the fallback with one blocking reader thread.
 */
interface ClientSubscription {

	/**
	 * Connect, and connect again after a lost connection, until {@link #close()}.
	 */
	void start();

	/**
	 * Whether the connection is open (and its TLS handshake done) now.
	 * @return whether it is
	 */
	boolean isConnected();

	/**
	 * Stop reading the connection (and any connection made after a reconnect) until
	 * {@link #resume()}: pushes already read are still delivered; the server's writes
	 * push back through the kernel's buffers.
	 * @return whether reading stopped ({@code true} for both implementations)
	 */
	boolean pause();

	/**
	 * Read again after {@link #pause()}.
	 */
	void resume();

	/**
	 * Close the connection, stop reconnecting, and deliver nothing more.
	 */
	void close();

}
