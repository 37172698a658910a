package dev.ipcboot.integration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.messaging.Message;

import dev.ipcboot.socket.IpcClient;

/**
 * A client ({@code ipc.clients}) as a one-way target of an {@code IntegrationFlow}: each
 * message's payload is sent with {@link IpcClient#send(Object)}; a failed send fails the
 * message with the client's exception. Create it with
 * {@link IpcIntegration#outboundAdapter(String)}.
 */
public final class IpcOutboundChannelAdapter extends AbstractMessageHandler {

	private final @Nullable String clientName;

	private @Nullable IpcClient client;

	IpcOutboundChannelAdapter(IpcClient client) {
		this.client = client;
		this.clientName = null;
	}

	IpcOutboundChannelAdapter(String clientName) {
		this.clientName = clientName;
	}

	@Override
	public String getComponentType() {
		return "ipc:outbound-channel-adapter";
	}

	@Override
	protected void onInit() {
		super.onInit();
		if (this.client == null && this.clientName != null) {
			this.client = BeanFactoryAnnotationUtils.qualifiedBeanOfType(getBeanFactory(), IpcClient.class,
					this.clientName);
		}
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		IpcClient target = this.client;
		if (target == null) {
			throw new IllegalStateException("IpcOutboundChannelAdapter for client '" + this.clientName
					+ "' is used before it was initialised by the application context");
		}
		target.send(message.getPayload());
	}

}
