package dev.ipcboot.socket.shm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.natives.AnonymousMemory;
import dev.ipcboot.natives.Doorbell;

/**
 * One end of a shared-memory connection: it writes one ring and reads the other, rings
 * the peer's doorbells only when the peer said it may sleep, and waits on its own
 * doorbells together with the connection's socket, whose end means the peer is gone. One
 * thread receives at a time; senders are serialised. A message longer than a ring record
 * travels as fragments that are delivered only when the last one arrived, so a peer that
 * dies mid-message delivers nothing of it.
 */
final class ShmDuplex implements AutoCloseable {

	/**
	 * Longest single wait in {@code poll} before the deadline and the state are checked
	 * again.
	 */
	private static final int SLICE_MILLIS = 200;

	private final String name;

	private final AnonymousMemory memory;

	private final UnsafeBuffer header;

	private final OneToOneRingBuffer in;

	private final OneToOneRingBuffer out;

	private final int myWaitsData;

	private final int myWaitsSpace;

	private final int peerWaitsData;

	private final int peerWaitsSpace;

	private final int myDataBell;

	private final int mySpaceBell;

	private final int peerDataBell;

	private final int peerSpaceBell;

	private final int socketFd;

	private final int spin;

	private final int maxMessageSize;

	private final Doorbell receiveWaiter;

	private final Doorbell sendWaiter;

	private final ArrayDeque<Object> received = new ArrayDeque<>();

	/** What {@link #receive} returns when it lent the message to its borrower instead. */
	static final byte[] LENT = new byte[0];

	/** The inbound ring's data, read-only, for views lent to a borrower. */
	private final ByteBuffer inView;

	private @Nullable Consumer<ByteBuffer> borrower;

	private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

	private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);

	private final Object sendLock = new Object();

	private final MessageHandler onRecord = this::onRecord;

	private volatile boolean closed;

	private boolean peerGone;

	/**
	 * @param server whether this is the server's end
	 * @param bells the memory's doorbells in {@link ShmLayout#DESCRIPTORS} order (without
	 * the memory): server data, server space, client data, client space
	 */
	ShmDuplex(String name, AnonymousMemory memory, boolean server, int[] bells, int socketFd, int spin) {
		this.name = name;
		this.memory = memory;
		this.header = new UnsafeBuffer(memory.buffer());
		int capacity = this.header.getInt(ShmLayout.CAPACITY_OFFSET);
		this.maxMessageSize = this.header.getInt(ShmLayout.MAX_MESSAGE_SIZE_OFFSET);
		OneToOneRingBuffer clientToServer = new OneToOneRingBuffer(
				new UnsafeBuffer(memory.buffer(), ShmLayout.clientToServerOffset(), ShmLayout.ringLength(capacity)));
		OneToOneRingBuffer serverToClient = new OneToOneRingBuffer(new UnsafeBuffer(memory.buffer(),
				ShmLayout.serverToClientOffset(capacity), ShmLayout.ringLength(capacity)));
		this.in = server ? clientToServer : serverToClient;
		int inOffset = server ? ShmLayout.clientToServerOffset() : ShmLayout.serverToClientOffset(capacity);
		this.inView = memory.buffer()
			.duplicate()
			.position(inOffset)
			.limit(inOffset + capacity)
			.slice()
			.asReadOnlyBuffer();
		this.out = server ? serverToClient : clientToServer;
		this.myWaitsData = server ? ShmLayout.SERVER_WAITS_DATA_OFFSET : ShmLayout.CLIENT_WAITS_DATA_OFFSET;
		this.myWaitsSpace = server ? ShmLayout.SERVER_WAITS_SPACE_OFFSET : ShmLayout.CLIENT_WAITS_SPACE_OFFSET;
		this.peerWaitsData = server ? ShmLayout.CLIENT_WAITS_DATA_OFFSET : ShmLayout.SERVER_WAITS_DATA_OFFSET;
		this.peerWaitsSpace = server ? ShmLayout.CLIENT_WAITS_SPACE_OFFSET : ShmLayout.SERVER_WAITS_SPACE_OFFSET;
		this.myDataBell = server ? bells[0] : bells[2];
		this.mySpaceBell = server ? bells[1] : bells[3];
		this.peerDataBell = server ? bells[2] : bells[0];
		this.peerSpaceBell = server ? bells[3] : bells[1];
		this.socketFd = socketFd;
		this.spin = spin;
		this.receiveWaiter = new Doorbell(name);
		this.sendWaiter = new Doorbell(name);
	}

	int maxMessageSize() {
		return this.maxMessageSize;
	}

	boolean isOpen() {
		return !this.closed && !this.peerGone;
	}

	/**
	 * Wait for the next whole message.
	 * @param timeoutNanos how long at most; negative for no limit
	 * @return the message, or {@code null} when the time was up
	 * @throws ShmClosedException when the peer is gone (after every message it finished)
	 * or this end was closed
	 * @throws ShmCorruptException when the peer wrote what no peer of this layout writes
	 */
	byte @Nullable [] receive(long timeoutNanos) {
		return receive(timeoutNanos, null);
	}

	/**
	 * Wait for the next whole message, lending it to {@code borrower} as a read-only view
	 * of the ring when it is in one record (no copy); the view is valid only while the
	 * borrower runs. A message in fragments is assembled and returned as usual.
	 * @param timeoutNanos how long at most; negative for no limit
	 * @param borrower what reads a message in place, or {@code null}
	 * @return the message, {@link #LENT} when the borrower had it, or {@code null} when
	 * the time was up
	 */
	byte @Nullable [] receive(long timeoutNanos, @Nullable Consumer<ByteBuffer> borrower) {
		this.borrower = borrower;
		boolean limited = timeoutNanos >= 0;
		long deadline = limited ? System.nanoTime() + timeoutNanos : 0;
		for (;;) {
			Object next = this.received.poll();
			if (next instanceof ShmCorruptException corrupt) {
				throw corrupt;
			}
			if (next != null) {
				return (byte[]) next;
			}
			if (this.closed) {
				throw new ShmClosedException("closed");
			}
			if (readSome()) {
				continue;
			}
			for (int i = 0; i < this.spin && !hasRecord(); i++) {
				Thread.onSpinWait();
			}
			if (hasRecord()) {
				continue;
			}
			if (this.peerGone) {
				throw new ShmClosedException("the peer closed the connection");
			}
			long left = limited ? deadline - System.nanoTime() : Long.MAX_VALUE;
			if (left <= 0) {
				return null;
			}
			this.header.putIntVolatile(this.myWaitsData, 1);
			int woken = 0;
			if (!hasRecord()) {
				woken = this.receiveWaiter.await(this.myDataBell, this.socketFd, sliceMillis(left));
			}
			this.header.putIntOrdered(this.myWaitsData, 0);
			if ((woken & Doorbell.HUNG_UP) != 0) {
				// take what the peer finished before it went, then report it gone
				this.peerGone = true;
			}
		}
	}

	/**
	 * Whether a finished record waits at the head (a record claimed but never finished,
	 * by a peer that died mid-write, does not count: the ring's size would).
	 */
	private boolean hasRecord() {
		int index = (int) this.in.consumerPosition() & (this.in.capacity() - 1);
		return this.in.buffer().getIntVolatile(index) > 0;
	}

	private static int sliceMillis(long nanos) {
		return (int) Math.min(SLICE_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
	}

	private boolean readSome() {
		int count;
		try {
			count = this.in.read(this.onRecord, 64);
		}
		catch (RuntimeException ex) {
			// a length or type outside the ring: the peer is not one of ours
			this.received.add(new ShmCorruptException("bad record in the ring: " + ex.getMessage()));
			this.peerGone = true;
			return true;
		}
		if (count == 0) {
			return false;
		}
		VarHandle.fullFence();
		if (this.header.getIntVolatile(this.peerWaitsSpace) != 0) {
			Doorbell.ring(this.peerSpaceBell);
		}
		return true;
	}

	private void onRecord(int type, org.agrona.MutableDirectBuffer buffer, int index, int length) {
		switch (type) {
			case ShmLayout.MESSAGE -> {
				if (this.fragments.size() > 0) {
					corrupt("a message inside a fragmented one");
					return;
				}
				if (length > this.maxMessageSize) {
					corrupt("a message of " + length + " bytes, over the limit of " + this.maxMessageSize);
					return;
				}
				Consumer<ByteBuffer> lender = this.borrower;
				if (lender != null && (this.received.isEmpty() || this.received.peekLast() == LENT)) {
					lender.accept(this.inView.duplicate().position(index).limit(index + length).slice());
					this.received.add(LENT);
					return;
				}
				byte[] message = new byte[length];
				buffer.getBytes(index, message);
				this.received.add(message);
			}
			case ShmLayout.FIRST, ShmLayout.MIDDLE, ShmLayout.LAST -> {
				if ((type == ShmLayout.FIRST) != (this.fragments.size() == 0)) {
					corrupt("fragment " + type + " out of order");
					return;
				}
				if ((long) this.fragments.size() + length > this.maxMessageSize) {
					corrupt("a message over the limit of " + this.maxMessageSize + " bytes");
					return;
				}
				byte[] part = new byte[length];
				buffer.getBytes(index, part);
				this.fragments.writeBytes(part);
				if (type == ShmLayout.LAST) {
					this.received.add(this.fragments.toByteArray());
					this.fragments.reset();
				}
			}
			default -> corrupt("unknown record type " + type);
		}
	}

	private void corrupt(String reason) {
		this.received.add(new ShmCorruptException(reason));
		this.fragments.reset();
	}

	/**
	 * Drop whatever the peer sent that nobody waited for (a reply to a message sent with
	 * {@code send}), so that the next request reads its own reply.
	 * @return how many messages were dropped
	 */
	int discardUnread() {
		int dropped = 0;
		this.borrower = null;
		for (;;) {
			Object next = this.received.poll();
			if (next instanceof ShmCorruptException corrupt) {
				throw corrupt;
			}
			if (next != null) {
				dropped++;
			}
			else if (!readSome()) {
				// no spin and no wait here: this runs before every request
				if (this.peerGone) {
					throw new ShmClosedException("the peer closed the connection");
				}
				return dropped;
			}
		}
	}

	/**
	 * Send one message, waiting for room at most {@code timeoutNanos}.
	 * @param payload the message
	 * @param timeoutNanos how long to wait for the peer to make room
	 * @throws ShmClosedException when the peer is gone or this end is closed
	 * @throws ShmTimeoutException when the peer made no room in time
	 */
	void send(byte[] payload, long timeoutNanos) {
		if (payload.length > this.maxMessageSize) {
			throw new IllegalArgumentException("a message of " + payload.length + " bytes is over the limit of "
					+ this.maxMessageSize + " bytes of '" + this.name + "'");
		}
		long deadline = System.nanoTime() + timeoutNanos;
		synchronized (this.sendLock) {
			if (this.closed) {
				throw new ShmClosedException("closed");
			}
			this.source.wrap(payload);
			int max = this.out.maxMsgLength();
			if (payload.length <= max) {
				write(ShmLayout.MESSAGE, 0, payload.length, deadline);
				return;
			}
			for (int offset = 0; offset < payload.length; offset += max) {
				int length = Math.min(max, payload.length - offset);
				int type = (offset == 0) ? ShmLayout.FIRST
						: (offset + length == payload.length) ? ShmLayout.LAST : ShmLayout.MIDDLE;
				write(type, offset, length, deadline);
			}
		}
	}

	private void write(int type, int offset, int length, long deadline) {
		while (!this.out.write(type, this.source, offset, length)) {
			for (int i = 0; i < this.spin; i++) {
				Thread.onSpinWait();
			}
			if (this.out.write(type, this.source, offset, length)) {
				break;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new ShmTimeoutException("the peer took no message for the write timeout");
			}
			this.header.putIntVolatile(this.myWaitsSpace, 1);
			boolean written = this.out.write(type, this.source, offset, length);
			int woken = written ? 0 : this.sendWaiter.await(this.mySpaceBell, this.socketFd, sliceMillis(left));
			this.header.putIntOrdered(this.myWaitsSpace, 0);
			if (written) {
				break;
			}
			if ((woken & Doorbell.HUNG_UP) != 0 || this.closed) {
				throw new ShmClosedException("the peer closed the connection");
			}
		}
		VarHandle.fullFence();
		if (this.header.getIntVolatile(this.peerWaitsData) != 0) {
			Doorbell.ring(this.peerDataBell);
		}
	}

	/**
	 * Mark this end closed, so that a waiting receiver or sender gives up at its next
	 * look; the caller then closes the socket, which ends their waits at once.
	 */
	void markClosed() {
		this.closed = true;
	}

	/**
	 * Release the memory and the doorbells; only once no thread sends or receives.
	 */
	@Override
	public void close() {
		this.closed = true;
		synchronized (this.sendLock) {
			this.memory.close();
			Doorbell.close(this.myDataBell);
			Doorbell.close(this.mySpaceBell);
			Doorbell.close(this.peerDataBell);
			Doorbell.close(this.peerSpaceBell);
		}
	}

	@Override
	public String toString() {
		return "ShmDuplex[" + this.name + "]";
	}

}
