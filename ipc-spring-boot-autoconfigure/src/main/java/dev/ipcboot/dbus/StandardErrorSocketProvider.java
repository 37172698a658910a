package dev.ipcboot.dbus;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.ServiceLoader;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.freedesktop.dbus.connections.transports.AbstractTransport;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Error;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MessageFactory;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.messages.MethodReturn;
import org.freedesktop.dbus.spi.message.IMessageReader;
import org.freedesktop.dbus.spi.message.IMessageWriter;
import org.freedesktop.dbus.spi.message.ISocketProvider;
import org.freedesktop.dbus.transport.junixsocket.JUnixSocketSocketProvider;
import org.freedesktop.dbus.types.Variant;

/**
 * The socket provider dbus-java finds through {@link java.util.ServiceLoader}: the
 * junixsocket provider (descriptor passing, abstract addresses) with two changes: error
 * replies leave with the names of the D-Bus specification ({@link StandardErrorNames}),
 * and a reply to {@code org.freedesktop.DBus.Properties.Get} answered by a
 * {@code @DBusBoundProperty} getter leaves as the variant the specification requires
 * (dbus-java 5.2 sends the getter's plain type, which {@code busctl get-property} and
 * GDBus reject). dbus-java offers no other place for either: replies to unknown methods
 * and objects and property replies are written inside its message handler before any
 * exported object is reached. Its reader is a {@link BusReader}.
 * <p>
 * Public only because {@code ServiceLoader} instantiates it; not part of the starter's
 * API. dbus-java uses the first provider on the class path, so {@link #isChosen()} lets
 * the starter warn when another one comes first.
 */
public final class StandardErrorSocketProvider implements ISocketProvider {

	private static final Log logger = LogFactory.getLog(StandardErrorSocketProvider.class);

	private final JUnixSocketSocketProvider delegate = new JUnixSocketSocketProvider();

	@Override
	public IMessageReader createReader(SocketChannel socket) {
		return BusReader.wrap(this.delegate.createReader(socket));
	}

	@Override
	public IMessageWriter createWriter(SocketChannel socket) {
		return new StandardErrorWriter(this.delegate.createWriter(socket));
	}

	@Override
	public void setFileDescriptorSupport(boolean support) {
		this.delegate.setFileDescriptorSupport(support);
	}

	@Override
	public boolean isFileDescriptorPassingSupported() {
		return this.delegate.isFileDescriptorPassingSupported();
	}

	@Override
	public Optional<Integer> getFileDescriptorValue(FileDescriptor descriptor) {
		return this.delegate.getFileDescriptorValue(descriptor);
	}

	@Override
	public Optional<FileDescriptor> createFileDescriptor(int descriptor) {
		return this.delegate.createFileDescriptor(descriptor);
	}

	/**
	 * Whether dbus-java's transports use this provider: they take the first one
	 * {@link ServiceLoader} finds through dbus-java's class loader.
	 */
	static boolean isChosen() {
		return Chosen.FIRST;
	}

	/**
	 * Log a warning, once per class loader, if dbus-java's transports use another
	 * provider.
	 */
	static void warnIfNotChosen() {
		isChosen();
	}

	private static final class Chosen {

		static final boolean FIRST = ServiceLoader.load(ISocketProvider.class, AbstractTransport.class.getClassLoader())
			.findFirst()
			.map(StandardErrorSocketProvider.class::isInstance)
			.orElse(false);

		static {
			if (!FIRST) {
				logger.warn("dbus-java chose another socket provider than the starter's: error replies keep"
						+ " dbus-java's names (org.freedesktop.dbus.errors.UnknownMethod instead of"
						+ " org.freedesktop.DBus.Error.UnknownMethod). Put ipc-spring-boot-autoconfigure before"
						+ " other dbus-java transports on the class path.");
			}
		}

	}

	/**
	 * Writes every message as it is, except property replies in a plain type (sent again
	 * as a variant) and error replies with a non-standard name, which are rebuilt with
	 * the same destination, reply serial and arguments; a failed write always carries a
	 * message.
	 * <p>
	 * A reply ({@code MethodReturn}) whose write fails because the connection is closed
	 * or broken is dropped here, with the connection closed, instead of failing:
	 * dbus-java answers a failed reply by writing an error in its place through the
	 * connection's transport without checking that the transport is still there, and when
	 * the bus goes away while a reply is being written (the reading thread takes the
	 * connection down, interrupts the sending thread and clears the transport) that write
	 * throws a {@code NullPointerException} on dbus-java's sending thread (dbus-java 5.2,
	 * {@code AbstractConnectionBase.sendMessageInternally}). The error could not reach
	 * the caller either: its connection is broken. Closing the channel makes the reading
	 * thread take the connection down, as dbus-java does after a failed write, and the
	 * starter reconnects. A failed call or signal still fails, so that a caller gets its
	 * error at once.
	 */
	private static final class StandardErrorWriter implements IMessageWriter {

		private final IMessageWriter delegate;

		StandardErrorWriter(IMessageWriter delegate) {
			this.delegate = delegate;
		}

		@Override
		public void writeMessage(Message message) throws IOException {
			try {
				this.delegate.writeMessage((message instanceof Error) ? renamed(message)
						: (message instanceof MethodReturn reply) ? asVariantIfPropertyGet(reply) : message);
			}
			catch (IOException ex) {
				if (message instanceof MethodReturn && isConnectionGone(ex)) {
					replyLost(message, ex);
					return;
				}
				if (ex.getMessage() != null) {
					throw ex;
				}
				// dbus-java answers a failed write with an error reply carrying the
				// exception's message, and a null message (ClosedChannelException when
				// the bus goes away) throws a NullPointerException on its sender thread
				throw new IOException("Could not write to the bus: " + ex.getClass().getName(), ex);
			}
		}

		/**
		 * Whether the write failed because the connection is closed or broken (not, for
		 * example, because a descriptor in the message could not be sent).
		 */
		private static boolean isConnectionGone(IOException ex) {
			return ex instanceof ClosedChannelException || ex instanceof SocketException;
		}

		private void replyLost(Message reply, IOException ex) {
			logger.debug("A reply (to serial " + reply.getReplySerial() + ", for " + reply.getDestination()
					+ ") could not be written; the bus connection is closed: " + ex);
			try {
				this.delegate.close();
			}
			catch (IOException closing) {
				logger.debug("Closing the bus connection's channel failed", closing);
			}
		}

		private static Message renamed(Message error) {
			String standard = StandardErrorNames.standardFor(error.getName());
			if (standard == null) {
				return error;
			}
			try {
				return new MessageFactory(error.getEndianess()).createError(error.getSource(), error.getDestination(),
						standard, error.getReplySerial(), error.getSig(), error.getParameters());
			}
			catch (DBusException | RuntimeException ex) {
				// the reply still reaches the caller, under dbus-java's name
				logger.warn("Could not rename D-Bus error " + error.getName() + " to " + standard, ex);
				return error;
			}
		}

		private static Message asVariantIfPropertyGet(MethodReturn reply) {
			MethodCall call = reply.getCall();
			String signature = reply.getSig();
			if (call == null || signature == null || signature.equals("v") || !"Get".equals(call.getName())
					|| !RemoteObjectProxy.PROPERTIES.equals(call.getInterface())) {
				return reply;
			}
			try {
				Object[] values = reply.getParameters();
				if (values == null || values.length != 1) {
					return reply;
				}
				return new MessageFactory(reply.getEndianess()).createMethodReturn(call, "v",
						new Variant<>(values[0], signature));
			}
			catch (DBusException | RuntimeException ex) {
				// the reply still reaches the caller, as dbus-java wrote it
				logger.warn("Could not send the value of property " + describe(call) + " as a variant", ex);
				return reply;
			}
		}

		private static String describe(MethodCall call) {
			try {
				Object[] args = call.getParameters();
				return (args != null && args.length == 2) ? args[0] + "." + args[1] + " at " + call.getPath()
						: String.valueOf(call.getPath());
			}
			catch (DBusException ex) {
				return String.valueOf(call.getPath());
			}
		}

		@Override
		public boolean isClosed() {
			return this.delegate.isClosed();
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

	}

}
