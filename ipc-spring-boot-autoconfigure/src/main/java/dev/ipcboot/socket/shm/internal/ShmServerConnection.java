package dev.ipcboot.socket.shm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.newsclub.net.unix.AFUNIXSocket;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;
import dev.ipcboot.socket.IpcConnection;
import dev.ipcboot.socket.IpcConnectionClosedException;

/**
 * One client of a {@link ShmServer}: a thread of its own ({@code ipc-shm-<name>-<n>})
 * that waits on the client-to-server ring and calls the listener there, in order, as a
 * socket server's {@code dispatch: event-loop} does, but without sharing the thread with
 * other connections. The listener's reply goes into the other ring.
 */
final class ShmServerConnection implements IpcConnection, IpcReplyTarget, Runnable {

	private static final Log logger = LogFactory.getLog(ShmServerConnection.class);

	private final ShmServer server;

	private final AFUNIXSocket socket;

	private final ShmDuplex duplex;

	private final String id;

	private final String peer;

	private final MessageHeaders headers;

	private final AtomicBoolean closing = new AtomicBoolean();

	private volatile String failure = "";

	ShmServerConnection(ShmServer server, AFUNIXSocket socket, ShmDuplex duplex, String id, long pid, long uid,
			long gid) {
		this.server = server;
		this.socket = socket;
		this.duplex = duplex;
		this.id = id;
		this.peer = "pid " + pid + " uid " + uid + " gid " + gid;
		this.headers = new MessageHeaders(Map.of(IpcHeaders.CHANNEL, server.name(), SocketHeaders.CONNECTION_ID, id,
				SocketHeaders.PEER_PID, (int) pid, SocketHeaders.PEER_UID, (int) uid, SocketHeaders.PEER_GID, (int) gid,
				ShmConnectionArgumentResolver.CONNECTION_HEADER, this));
	}

	@Override
	public void run() {
		String reason = null;
		Throwable cause = null;
		try {
			// a message in one record is lent to the listener as a view of the ring (the
			// listener core copies it for a listener that keeps its payload)
			Consumer<ByteBuffer> borrower = this::lend;
			while (!this.closing.get()) {
				byte[] payload = this.duplex.receive(-1, borrower);
				if (payload == null || payload == ShmDuplex.LENT || this.closing.get()) {
					continue;
				}
				this.server.metrics().messageReceived(payload.length);
				IpcMessageListener listener = this.server.listener();
				if (listener != null) {
					Message<byte[]> message = new GenericMessage<>(payload, this.headers);
					listener.onMessage(message, this);
				}
			}
		}
		catch (ShmClosedException ex) {
			// the peer closed or died, or the server stops: a normal end
		}
		catch (ShmCorruptException ex) {
			reason = "corrupt-frame";
			cause = ex;
			logger.warn("Shared-memory server '" + this.server.name() + "' closed the connection from " + this.peer
					+ ": " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			reason = "io-error";
			cause = ex;
			logger.warn("Shared-memory server '" + this.server.name() + "' closed the connection from " + this.peer,
					ex);
		}
		if (reason == null && !this.failure.isEmpty()) {
			reason = this.failure;
		}
		this.closing.set(true);
		closeSocket();
		this.duplex.close();
		this.server.closed(this, reason, cause);
	}

	/** A message read in place from the ring, for a listener that borrows its payload. */
	private void lend(ByteBuffer view) {
		this.server.metrics().messageReceived(view.remaining());
		IpcMessageListener listener = this.server.listener();
		if (listener != null && !this.closing.get()) {
			listener.onMessage(new GenericMessage<>(view, this.headers), this);
		}
	}

	@Override
	public void reply(byte[] payload) {
		write(payload);
	}

	@Override
	public void fail(Throwable error) {
		this.failure = "listener-failed";
		close();
	}

	@Override
	public String describePeer() {
		return this.peer;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String channel() {
		return this.server.name();
	}

	@Override
	public boolean isOpen() {
		return !this.closing.get() && this.duplex.isOpen();
	}

	@Override
	public void send(Object payload) {
		write(this.server.toBytes(payload));
	}

	private void write(byte[] payload) {
		try {
			this.duplex.send(payload, TimeUnit.NANOSECONDS.convert(this.server.settings().writeTimeout()));
			this.server.metrics().messageSent(payload.length);
		}
		catch (ShmClosedException ex) {
			throw new IpcConnectionClosedException(this.id,
					"Connection " + this.id + " of shared-memory server '" + this.server.name() + "' is closed");
		}
		catch (ShmTimeoutException ex) {
			this.failure = "write-timeout";
			logger.warn("Shared-memory server '" + this.server.name() + "' closed the connection from " + this.peer
					+ ": it took nothing for " + this.server.settings().writeTimeout());
			close();
			throw new IpcConnectionClosedException(this.id, "Connection " + this.id + " of shared-memory server '"
					+ this.server.name() + "' was closed: its peer took nothing for the write timeout");
		}
	}

	/**
	 * End the connection: nothing more is read, a listener call in progress still writes
	 * its reply (so a stopping server answers what it read), then its thread, woken, sees
	 * the socket's end, leaves and releases the memory.
	 */
	@Override
	public void close() {
		if (this.closing.compareAndSet(false, true)) {
			try {
				this.socket.shutdownInput();
			}
			catch (IOException ex) {
				closeSocket();
			}
			// a thread asleep on the ring's futex word does not see the socket: wake it
			this.duplex.wakeUp();
		}
	}

	private void closeSocket() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// an invalid descriptor: nothing left to release
		}
	}

	@Override
	public String toString() {
		return "ShmServerConnection[" + this.server.name() + ", " + this.id + ", " + this.peer + "]";
	}

}
