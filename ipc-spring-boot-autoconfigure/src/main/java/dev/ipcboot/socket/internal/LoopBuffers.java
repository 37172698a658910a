package dev.ipcboot.socket.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;

/**
 * One small read buffer and one small reply buffer per event loop, used again for the
 * next read or reply as long as nobody else holds them.
 * <p>
 * A request/reply connection otherwise takes two buffers from the allocator per request
 * (the read, the framed reply). Netty samples one allocation in 128 for leak tracking,
 * and a sampled allocation records the stack trace of the event loop's deep stack: about
 * one request in 64 paid several microseconds for it, which is where the 99th percentile
 * sits (ADR 0001, session 9 amendment). Reused buffers are allocated (and sampled) once.
 * <p>
 * Ownership is decided by the reference count alone: a spare is handed out retained, so
 * while a read's bytes wait in the decoder's cumulation, a lent frame is still with its
 * listener, or a reply still waits in the outbound buffer, its count stays above one. The
 * loop then gives its own reference up (the holder frees the buffer when done) and takes
 * a new spare. Only the loop's own thread touches its spares; they are released when the
 * loop thread ends.
 */
final class LoopBuffers {

	/** Capacity of each spare; reads and replies larger than this are allocated. */
	static final int SIZE = 2048;

	private static final int READ = 0;

	private static final int REPLY = 1;

	private static final FastThreadLocal<ByteBuf[]> SPARES = new FastThreadLocal<>() {

		@Override
		protected ByteBuf[] initialValue() {
			return new ByteBuf[2];
		}

		@Override
		protected void onRemoval(ByteBuf[] spares) {
			for (int i = 0; i < spares.length; i++) {
				if (spares[i] != null) {
					spares[i].release();
					spares[i] = null;
				}
			}
		}

	};

	private LoopBuffers() {
	}

	/**
	 * An empty buffer of {@link #SIZE} bytes for a reply framed on an event loop,
	 * retained for the caller (writing it hands that reference on).
	 * @param allocator where a new spare comes from
	 * @return the buffer
	 */
	static ByteBuf reply(ByteBufAllocator allocator) {
		return spare(REPLY, allocator);
	}

	private static ByteBuf spare(int kind, ByteBufAllocator allocator) {
		ByteBuf[] spares = SPARES.get();
		ByteBuf spare = spares[kind];
		if (spare == null || spare.refCnt() != 1) {
			if (spare != null) {
				// still held: its holder releases it
				spare.release();
			}
			spare = allocator.directBuffer(SIZE, SIZE);
			spares[kind] = spare;
		}
		spare.clear();
		return spare.retain();
	}

	/**
	 * Reads into the loop's spare while the delegate's guess fits it, into a buffer of
	 * the guessed size otherwise (a stream).
	 */
	static final class Reads implements RecvByteBufAllocator {

		private final RecvByteBufAllocator delegate;

		private final @Nullable FrameDecoder decoder;

		Reads(RecvByteBufAllocator delegate) {
			this(delegate, null);
		}

		private Reads(RecvByteBufAllocator delegate, @Nullable FrameDecoder decoder) {
			this.delegate = delegate;
			this.decoder = decoder;
		}

		/**
		 * The reads of one connection, whose stream reads may go to a buffer with the
		 * unfinished frame in front ({@link FrameDecoder#readBuffer}).
		 * @param decoder the connection's decoder
		 * @return the reads
		 */
		Reads forConnection(FrameDecoder decoder) {
			return new Reads(this.delegate, decoder);
		}

		@Override
		public Handle newHandle() {
			return new SpareHandle((ExtendedHandle) this.delegate.newHandle(), this.decoder);
		}

	}

	private static final class SpareHandle implements RecvByteBufAllocator.ExtendedHandle {

		private final RecvByteBufAllocator.ExtendedHandle delegate;

		private final @Nullable FrameDecoder decoder;

		SpareHandle(RecvByteBufAllocator.ExtendedHandle delegate, @Nullable FrameDecoder decoder) {
			this.delegate = delegate;
			this.decoder = decoder;
		}

		@Override
		public ByteBuf allocate(ByteBufAllocator alloc) {
			int guess = this.delegate.guess();
			if (this.decoder != null) {
				this.decoder.readBufferUnused();
			}
			if (guess <= SIZE) {
				return spare(READ, alloc);
			}
			ByteBuf prefixed = (this.decoder != null) ? this.decoder.readBuffer(alloc, guess) : null;
			return (prefixed != null) ? prefixed : this.delegate.allocate(alloc);
		}

		@Override
		public int guess() {
			return this.delegate.guess();
		}

		@Override
		public void reset(ChannelConfig config) {
			this.delegate.reset(config);
		}

		@Override
		public void incMessagesRead(int numMessages) {
			this.delegate.incMessagesRead(numMessages);
		}

		@Override
		public void lastBytesRead(int bytes) {
			this.delegate.lastBytesRead(bytes);
		}

		@Override
		public int lastBytesRead() {
			return this.delegate.lastBytesRead();
		}

		@Override
		public void attemptedBytesRead(int bytes) {
			this.delegate.attemptedBytesRead(bytes);
		}

		@Override
		public int attemptedBytesRead() {
			return this.delegate.attemptedBytesRead();
		}

		@Override
		public boolean continueReading() {
			return this.delegate.continueReading();
		}

		@Override
		public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
			return this.delegate.continueReading(maybeMoreDataSupplier);
		}

		@Override
		public void readComplete() {
			this.delegate.readComplete();
		}

	}

}
