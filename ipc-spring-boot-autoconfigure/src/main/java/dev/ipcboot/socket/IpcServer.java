package dev.ipcboot.socket;

import java.util.Collection;

/**
 * A socket server of {@code ipc.servers}, one bean per entry, injectable with
 * {@code @Qualifier("<name>")}: its open connections, and a way to push a message to all
 * of them.
 */
public interface IpcServer {

	/**
	 * The server's name.
	 * @return its name in {@code ipc.servers}, which is also its channel name
	 */
	String name();

	/**
	 * The connections open now.
	 * @return a snapshot of the admitted, open connections
	 */
	Collection<IpcConnection> connections();

	/**
	 * Send a message to every open connection, each as {@link IpcConnection#send} would.
	 * A connection that is closed, or cannot take the message within
	 * {@code write-timeout}, is skipped.
	 * @param payload the message
	 * @return how many connections took it
	 */
	int broadcast(Object payload);

}
