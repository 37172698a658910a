package dev.ipcboot.autoconfigure;

import dev.ipcboot.socket.udp.UdpServerSettings;

/**
 * Callback that customizes the settings of each UDP server ({@code ipc.servers.<name>}
 * with {@code transport: udp}) after they were made from the properties and before the
 * server is created and binds. Every customizer bean is applied to every such server, in
 * the order that {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered} gives; use
 * {@link UdpServerSettings.Builder#name()} to pick servers. A customizer that throws, or
 * leaves invalid settings, fails start-up, naming the server.
 */
@FunctionalInterface
public interface UdpServerCustomizer {

	/**
	 * Customize the settings of one server.
	 * @param settings the server's settings, as the properties and earlier customizers
	 * left them
	 */
	void customize(UdpServerSettings.Builder settings);

}
