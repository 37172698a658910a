package dev.ipcboot.integration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.messaging.Message;

import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * A channel as the one-way source of an {@code IntegrationFlow}: each message (a frame, a
 * D-Bus signal, a line of a process's output) goes into the flow and nothing is written
 * back. Create it with {@link IpcIntegration#inboundAdapter(String)}. Like
 * {@link IpcInboundGateway} it is a listener of the registry under its bean name and
 * receives only while it runs.
 */
public final class IpcInboundChannelAdapter extends MessageProducerSupport implements IpcMessageListener {

	private static final Log logger = LogFactory.getLog(IpcInboundChannelAdapter.class);

	private final String channel;

	private @Nullable Registration registration;

	IpcInboundChannelAdapter(String channel) {
		this.channel = channel;
	}

	@Override
	public String getComponentType() {
		return "ipc:inbound-channel-adapter";
	}

	@Override
	protected void onInit() {
		super.onInit();
		String id = (getComponentName() != null) ? getComponentName() : "ipcInboundAdapter." + this.channel;
		this.registration = Registration.attach(getBeanFactory(), id, this.channel, this);
	}

	@Override
	protected void doStart() {
		super.doStart();
		if (this.registration != null) {
			this.registration.start();
		}
	}

	@Override
	protected void doStop() {
		if (this.registration != null) {
			this.registration.stop();
		}
		super.doStop();
	}

	@Override
	public String describe() {
		return "inbound channel adapter '" + getComponentName() + "'";
	}

	@Override
	public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
		try {
			sendMessage(message);
		}
		catch (RuntimeException ex) {
			logger.error("Flow of " + describe() + " on channel '" + this.channel + "' failed for "
					+ replyTarget.describePeer(), ex);
			replyTarget.fail(ex);
		}
	}

}
