package dev.ipcboot.socket.shm.internal;

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

import dev.ipcboot.internal.natives.AnonymousMemory;
import dev.ipcboot.internal.natives.Doorbell;
import dev.ipcboot.internal.natives.Futex;

/**
 * One end of a shared-memory connection: it writes one ring and reads the other. A side
 * that runs out of work announces it in a word of the header (1) and sleeps on that word
 * ({@code FUTEX_WAIT}); the other side, after it wrote (or made room), finds the 1,
 * stores 0 and wakes it ({@code FUTEX_WAKE}). Waits are cut into slices; a slice that
 * ends without a wake looks at the connection's socket, whose end means the peer is gone
 * (ADR 0012). One thread receives at a time; senders are serialised. A message longer
 * than a ring record travels as fragments that are delivered only when the last one
 * arrived, so a peer that dies mid-message delivers nothing of it.
 */
final class ShmDuplex implements AutoCloseable {

	/**
	 * Longest single wait in {@code poll} before the deadline and the state are checked
	 * again.
	 */
	private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final String name;

	private final AnonymousMemory memory;

	private final UnsafeBuffer header;

	private final OneToOneRingBuffer in;

	private final OneToOneRingBuffer out;

	private final int myWaitsData;

	private final int myWaitsSpace;

	private final int peerWaitsData;

	private final int peerWaitsSpace;

	private final int socketFd;

	private final int spin;

	private final int maxMessageSize;

	private final Futex receiveWaiter;

	private final Futex sendWaiter;

	/** Looks at the socket when a wait ended without a wake from the peer. */
	private final Doorbell hangUpCheck;

	private final long headerAddress;

	/** Set by {@link #wakeUp()}: the next waits look at the socket and do not sleep. */
	private volatile boolean woken;

	private final ArrayDeque<Object> received = new ArrayDeque<>();

	/** Messages shorter than this are never lent, but copied. */
	static final int MIN_LENT_LENGTH = 1024;

	/** What {@link #receive} returns when it lent the message to its borrower instead. */
	static final byte[] LENT = new byte[0];

	/** The inbound ring's data, read-only, for views lent to a borrower. */
	private final ByteBuffer inView;

	private @Nullable Consumer<ByteBuffer> borrower;

	private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

	private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);

	private final Object sendLock = new Object();

	private final Object releaseLock = new Object();

	private boolean released;

	private final MessageHandler onRecord = this::onRecord;

	private volatile boolean closed;

	private boolean peerGone;

	/**
	 * @param server whether this is the server's end
	 * @param socketFd the connection's socket, whose end means the peer is gone
	 */
	ShmDuplex(String name, AnonymousMemory memory, boolean server, int socketFd, int spin) {
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
		this.socketFd = socketFd;
		this.spin = spin;
		this.receiveWaiter = new Futex(name);
		this.sendWaiter = new Futex(name);
		this.hangUpCheck = new Doorbell(name);
		this.headerAddress = this.header.addressOffset();
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
				woken = sleep(this.receiveWaiter, this.myWaitsData, left);
			}
			this.header.putIntOrdered(this.myWaitsData, 0);
			if (woken != 0) {
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

	/**
	 * Sleep on the header word at {@code offset}, which this side set to 1, until the
	 * peer stores 0 and wakes it, or for one slice.
	 * @return {@link Doorbell#HUNG_UP} when the socket ended, else 0
	 */
	private int sleep(Futex waiter, int offset, long leftNanos) {
		if (!this.woken) {
			waiter.await(this.headerAddress + offset, 1, Math.min(leftNanos, SLICE_NANOS));
		}
		if (this.header.getIntVolatile(offset) == 0 && !this.woken) {
			// the peer's wake: it wrote or made room
			return 0;
		}
		// the slice ended, a signal, or this end is closing: has the peer (or we) gone?
		return this.hangUpCheck.await(-1, this.socketFd, 0) & Doorbell.HUNG_UP;
	}

	/** Wake the peer if it announced in the word at {@code offset} that it sleeps. */
	private void wakePeer(int offset) {
		if (this.header.getIntVolatile(offset) != 0) {
			this.header.putIntVolatile(offset, 0);
			Futex.wake(this.headerAddress + offset, this.name);
		}
	}

	/**
	 * End this side's waits now, so that they look at the socket (call after shutting it
	 * down or closing it): a futex wait does not see the socket's end.
	 */
	void wakeUp() {
		this.woken = true;
		synchronized (this.releaseLock) {
			if (this.released) {
				return;
			}
			for (int offset : new int[] { this.myWaitsData, this.myWaitsSpace }) {
				this.header.putIntVolatile(offset, 0);
				Futex.wake(this.headerAddress + offset, this.name);
			}
		}
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
		wakePeer(this.peerWaitsSpace);
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
				// a short message is copied: cheaper than the view, and a listener that
				// keeps its payload would copy the view again
				if (lender != null && length >= MIN_LENT_LENGTH
						&& (this.received.isEmpty() || this.received.peekLast() == LENT)) {
					lender.accept(this.inView.slice(index, length));
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
			int woken = written ? 0 : sleep(this.sendWaiter, this.myWaitsSpace, left);
			this.header.putIntOrdered(this.myWaitsSpace, 0);
			if (written) {
				break;
			}
			if (woken != 0 || this.closed) {
				throw new ShmClosedException("the peer closed the connection");
			}
		}
		VarHandle.fullFence();
		wakePeer(this.peerWaitsData);
	}

	/**
	 * Mark this end closed and wake its waiting receiver or sender, which give up; the
	 * caller then closes the socket, which ends the peer's side.
	 */
	void markClosed() {
		this.closed = true;
		wakeUp();
	}

	/**
	 * Release the memory; only once no thread sends or receives.
	 */
	@Override
	public void close() {
		this.closed = true;
		synchronized (this.releaseLock) {
			// no wakeUp() touches the memory after this
			this.released = true;
		}
		synchronized (this.sendLock) {
			this.memory.close();
		}
	}

	@Override
	public String toString() {
		return "ShmDuplex[" + this.name + "]";
	}

}
