package dev.ipcboot.listener;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

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
	 * <p>
	 * The listener takes any payload the channel produces, and in particular a
	 * {@link java.nio.ByteBuffer} view of the channel's own receive buffer that is valid
	 * only until {@link IpcMessageListener#onMessage} returns (a socket or shared-memory
	 * server lends its frames this way, so that a listener reading a {@code ByteBuffer}
	 * costs no copy); the listener core copies the bytes for whoever keeps them longer.
	 * The view's position, limit and byte order may be changed by the listener.
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

	/**
	 * The {@link IpcHeaders} this channel can ever set on its messages. A listener that
	 * requires one that is not among them fails start-up instead of failing every
	 * message.
	 * @return the header names, or {@code null} when the channel does not say (nothing is
	 * checked)
	 */
	default @Nullable Set<String> headers() {
		return null;
	}

	/**
	 * Stop reading from the source, because every listener of the channel is paused: a
	 * socket server stops accepting and reading, so that its peers' writes push back.
	 * Messages already read are still delivered.
	 * @return whether the channel did; {@code false} (the default) lets the registry hold
	 * messages back itself (see {@link #blocksWhenHeld()})
	 */
	default boolean pauseReading() {
		return false;
	}

	/**
	 * Whether this kind of channel can hold messages back at the source at all
	 * ({@link #pauseReading()} or {@link #stopReceiving()} may return {@code true}). The
	 * registry asks before it tells the listeners that the source holds messages back, so
	 * that a channel that cannot never lets a message through to a stopped or paused
	 * listener in between.
	 * @return {@code false} by default
	 */
	default boolean holdsAtSource() {
		return false;
	}

	/**
	 * Read from the source again after {@link #pauseReading()}.
	 */
	default void resumeReading() {
	}

	/**
	 * Stop receiving, because every listener of the channel is stopped: a socket server
	 * closes its listening socket and its connections, a D-Bus signal channel ends its
	 * subscription. Called before the channel starts for listeners that do not start
	 * automatically: the channel then does not start until {@link #startReceiving()}.
	 * @return whether the channel did; {@code false} (the default) lets the registry hold
	 * messages back itself, as for a pause
	 */
	default boolean stopReceiving() {
		return false;
	}

	/**
	 * Receive again after {@link #stopReceiving()}.
	 */
	default void startReceiving() {
	}

	/**
	 * Whether the thread that delivers a message may be held until a paused listener is
	 * resumed, so that the source pushes back (a process's pump thread: the pipe fills
	 * and the child blocks on its next write). A channel that delivers on a thread it
	 * shares returns {@code false}: the registry then buffers within a bound instead.
	 * @return {@code true} by default
	 */
	default boolean blocksWhenHeld() {
		return true;
	}

}
