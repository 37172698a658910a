package dev.ipcboot.integration;

import dev.ipcboot.socket.IpcClient;

/**
 * Factories of the Spring Integration endpoints of the starter, in the style of the Java
 * DSL's {@code Tcp}, {@code Kafka} or {@code Amqp} factories: <pre class="code">
 * &#64;Bean
 * IntegrationFlow ordersToBroker() {
 *     return IntegrationFlow.from(IpcIntegration.inboundGateway("orders"))
 *         .transform(String.class, String::toUpperCase)
 *         .get();
 * }
 * </pre> Channel and client names are those of the configuration ({@code ipc.servers},
 * {@code ipc.dbus.signals}, {@code ipc.processes}, {@code ipc.clients}). An inbound
 * endpoint takes the place of an {@code @IpcListener}: a socket server or a subscribing
 * client has one listener, so it cannot have both.
 */
public final class IpcIntegration {

	private IpcIntegration() {
	}

	/**
	 * A request-reply source: the flow's reply is written back to the peer.
	 * @param channel the channel name
	 * @return the gateway, for {@code IntegrationFlow.from(...)}
	 */
	public static IpcInboundGateway inboundGateway(String channel) {
		return new IpcInboundGateway(channel);
	}

	/**
	 * A one-way source: nothing is written back.
	 * @param channel the channel name
	 * @return the adapter, for {@code IntegrationFlow.from(...)}
	 */
	public static IpcInboundChannelAdapter inboundAdapter(String channel) {
		return new IpcInboundChannelAdapter(channel);
	}

	/**
	 * A request-reply target: the server's reply continues the flow.
	 * @param client the name of the client under {@code ipc.clients}
	 * @return the handler, for {@code .handle(...)}
	 */
	public static IpcOutboundGateway outboundGateway(String client) {
		return new IpcOutboundGateway(client);
	}

	/**
	 * A request-reply target over a client bean.
	 * @param client the client
	 * @return the handler, for {@code .handle(...)}
	 */
	public static IpcOutboundGateway outboundGateway(IpcClient client) {
		return new IpcOutboundGateway(client);
	}

	/**
	 * A one-way target: the payload is sent and the flow ends.
	 * @param client the name of the client under {@code ipc.clients}
	 * @return the handler, for {@code .handle(...)}
	 */
	public static IpcOutboundChannelAdapter outboundAdapter(String client) {
		return new IpcOutboundChannelAdapter(client);
	}

	/**
	 * A one-way target over a client bean.
	 * @param client the client
	 * @return the handler, for {@code .handle(...)}
	 */
	public static IpcOutboundChannelAdapter outboundAdapter(IpcClient client) {
		return new IpcOutboundChannelAdapter(client);
	}

}
