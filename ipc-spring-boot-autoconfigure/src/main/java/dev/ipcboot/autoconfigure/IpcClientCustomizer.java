package dev.ipcboot.autoconfigure;

import dev.ipcboot.socket.IpcClientSettings;

/**
 * Callback that customizes the settings of each local and TCP client
 * ({@code ipc.clients.<name>} with {@code transport: local} or {@code tcp}) after they
 * were made from the properties and before the client is created. Every customizer bean
 * is applied to every such client, in
 * {@link org.springframework.core.annotation.Order @Order} (or
 * {@link org.springframework.core.Ordered}) order; use
 * {@link IpcClientSettings.Builder#name()} to pick clients. A customizer that throws
 * fails the creation of the client, naming it. None applies to an
 * {@code ipc.clients.<name>} bean the application defines itself, nor to
 * {@code transport: udp} or {@code shm} entries: {@link UdpClientCustomizer} and
 * {@link ShmClientCustomizer} do.
 */
@FunctionalInterface
public interface IpcClientCustomizer {

	/**
	 * Customize the settings of one client.
	 * @param settings the client's settings, as the properties and earlier customizers
	 * left them
	 */
	void customize(IpcClientSettings.Builder settings);

}
