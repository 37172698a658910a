package dev.ipcboot.autoconfigure;

import dev.ipcboot.socket.udp.UdpClientSettings;

/**
 * Callback that customizes the settings of each UDP client ({@code ipc.clients.<name>}
 * with {@code transport: udp}) after they were made from the properties and before the
 * client is created. Every customizer bean is applied to every such client, in the order
 * that {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered} gives; use
 * {@link UdpClientSettings.Builder#name()} to pick clients. A customizer that throws, or
 * leaves invalid settings, fails the creation of the client, naming it.
 */
@FunctionalInterface
public interface UdpClientCustomizer {

	/**
	 * Customize the settings of one client.
	 * @param settings the client's settings, as the properties and earlier customizers
	 * left them
	 */
	void customize(UdpClientSettings.Builder settings);

}
