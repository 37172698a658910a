package dev.ipcboot.integration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.integration.handler.AbstractReplyProducingMessageHandler;
import org.springframework.messaging.Message;

import dev.ipcboot.socket.IpcClient;

/**
 * A client ({@code ipc.clients}) as a request-reply target of an {@code IntegrationFlow}:
 * each message's payload is sent with {@link IpcClient#request(Object)} (converted as the
 * client converts it) and the server's reply, as {@code byte[]} or converted to a
 * {@link #replyType(Class) reply type}, continues the flow. A failed or timed-out request
 * fails the message with the client's exception. Create it with
 * {@link IpcIntegration#outboundGateway(String)}.
 */
public final class IpcOutboundGateway extends AbstractReplyProducingMessageHandler {

	private final @Nullable String clientName;

	private @Nullable IpcClient client;

	private @Nullable Class<?> replyType;

	IpcOutboundGateway(IpcClient client) {
		this.client = client;
		this.clientName = null;
	}

	IpcOutboundGateway(String clientName) {
		this.clientName = clientName;
	}

	/**
	 * Convert each reply to this type (JSON, {@code String}) instead of passing its
	 * bytes.
	 * @param type the reply type
	 * @return this gateway
	 */
	public IpcOutboundGateway replyType(Class<?> type) {
		this.replyType = type;
		return this;
	}

	@Override
	public String getComponentType() {
		return "ipc:outbound-gateway";
	}

	@Override
	protected void doInit() {
		if (this.client == null && this.clientName != null) {
			this.client = BeanFactoryAnnotationUtils.qualifiedBeanOfType(getBeanFactory(), IpcClient.class,
					this.clientName);
		}
	}

	@Override
	protected Object handleRequestMessage(Message<?> requestMessage) {
		IpcClient target = this.client;
		if (target == null) {
			throw new IllegalStateException("IpcOutboundGateway for client '" + this.clientName
					+ "' is used before it was initialised by the application context");
		}
		return (this.replyType != null) ? target.request(requestMessage.getPayload(), this.replyType)
				: target.request(requestMessage.getPayload());
	}

}
