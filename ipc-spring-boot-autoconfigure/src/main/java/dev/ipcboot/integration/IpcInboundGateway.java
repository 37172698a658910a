package dev.ipcboot.integration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.gateway.MessagingGatewaySupport;
import org.springframework.messaging.Message;

import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * A channel ({@code ipc.servers}, {@code ipc.dbus.signals}, {@code ipc.processes}, or a
 * subscribing client) as the request-reply source of an {@code IntegrationFlow}: each
 * message goes into the flow and what the flow replies is written back to the peer with
 * the channel's framing ({@code byte[]}, {@code String}, or an object as JSON). A flow
 * that fails, with no error channel to turn the failure into a reply, closes that one
 * connection, as a failing listener does. Create it with
 * {@link IpcIntegration#inboundGateway(String)}.
 * <p>
 * It takes the channel's listener place in the
 * {@link dev.ipcboot.listener.IpcListenerEndpointRegistry} under its bean name, and
 * receives only while it runs: stopping it (or the registry stopping that id) holds the
 * channel back as for a stopped {@code @IpcListener}.
 */
public final class IpcInboundGateway extends MessagingGatewaySupport implements IpcMessageListener {

	private static final Log logger = LogFactory.getLog(IpcInboundGateway.class);

	private final String channel;

	private @Nullable Registration registration;

	private @Nullable Replies replies;

	IpcInboundGateway(String channel) {
		this.channel = channel;
	}

	@Override
	public String getComponentType() {
		return "ipc:inbound-gateway";
	}

	@Override
	protected void onInit() {
		super.onInit();
		this.replies = Replies.from(getBeanFactory());
		String id = (getComponentName() != null) ? getComponentName() : "ipcInboundGateway." + this.channel;
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
		return "inbound gateway '" + getComponentName() + "'";
	}

	@Override
	public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
		Message<?> reply;
		byte[] bytes;
		try {
			reply = sendAndReceiveMessage(message);
			if (reply == null) {
				return;
			}
			bytes = this.replies.toBytes(reply);
		}
		catch (RuntimeException ex) {
			logger.error("Flow of " + describe() + " on channel '" + this.channel + "' failed for "
					+ replyTarget.describePeer(), ex);
			replyTarget.fail(ex);
			return;
		}
		replyTarget.reply(bytes);
	}

}
