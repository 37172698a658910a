package dev.ipcboot.listener;

import java.util.List;

import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * A named source of messages that {@link IpcListener} methods can listen to: a socket
 * server, a D-Bus signal subscription, a managed process's output. Each facility
 * implements it; the listener registry attaches listeners before the channel starts.
 */
public interface IpcChannel {

	/**
	 * Name of the channel, unique across all kinds.
	 * @return the name
	 */
	String name();

	/**
	 * What kind of channel this is, for messages to users ("local server", "D-Bus
	 * signal").
	 * @return the kind
	 */
	String kind();

	/**
	 * The configuration property that defines the channel, for error messages
	 * ({@code ipc.servers.orders}).
	 * @return the property prefix
	 */
	String property();

	/**
	 * Attach a listener. Called once per listening method, before the channel starts.
	 * @param listener the listener
	 * @throws dev.ipcboot.IpcConfigurationException if the channel cannot take another
	 * listener (a server replies, so it takes one)
	 */
	void addListener(IpcMessageListener listener);

	/**
	 * Argument resolvers this kind of channel adds to the standard ones, tried first
	 * (D-Bus signals bind their arguments to parameters in order).
	 * @return the resolvers, empty by default
	 */
	default List<HandlerMethodArgumentResolver> argumentResolvers() {
		return List.of();
	}

}
