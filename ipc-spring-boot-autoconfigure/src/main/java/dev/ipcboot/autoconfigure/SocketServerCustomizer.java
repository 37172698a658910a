package dev.ipcboot.autoconfigure;

import dev.ipcboot.socket.SocketServerSettings;

/**
 * Callback that customizes the settings of each local and TCP socket server
 * ({@code ipc.servers.<name>} with {@code transport: local} or {@code tcp}) after they
 * were made from the properties and before the server is created and binds. Every
 * customizer bean is applied to every such server, in the order that
 * {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered} gives; use
 * {@link SocketServerSettings.Builder#name()} to pick servers. A customizer that throws
 * fails start-up, naming the server. None applies to {@code transport: udp} or
 * {@code shm} entries: {@link UdpServerCustomizer} and {@link ShmServerCustomizer} do.
 */
@FunctionalInterface
public interface SocketServerCustomizer {

	/**
	 * Customize the settings of one server.
	 * @param settings the server's settings, as the properties and earlier customizers
	 * left them
	 */
	void customize(SocketServerSettings.Builder settings);

}
