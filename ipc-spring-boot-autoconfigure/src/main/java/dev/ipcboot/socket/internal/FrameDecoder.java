package dev.ipcboot.socket.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.jspecify.annotations.Nullable;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * Splits the bytes of one connection into frames of one {@link Framing}, keeping only the
 * bytes that arrived (Netty's cumulation grows with them, never with what a length header
 * claims), and enforces the frame deadlines: a frame must be complete
 * {@code frame-timeout} after its first byte, and the next frame must be complete within
 * {@code idle-timeout} of the end of the last one (unless the server is still busy with
 * the connection). Each frame is a {@code byte[]} of its own, or, where the server lends
 * its frames and the frame is not short, a {@link LentFrame}: a view of the cumulation,
 * which stays retained until the connection released it after the call.
 * <p>
 * The bytes it holds count towards the server's {@code max-buffered-bytes}; over it, the
 * connection stops reading until bytes are released. Runs on the connection's event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {

	private static final int STX = 0x02;

	private static final int ETX = 0x03;

	private static final long NO_FRAME = Long.MIN_VALUE;

	private final Framing framing;

	private final int max;

	private final boolean lends;

	private final long frameTimeoutNanos;

	private final long idleTimeoutNanos;

	private final Owner connection;

	/**
	 * Whether the connection took frames straight from {@link #decode} since the last
	 * read batch ended; on the event loop only.
	 */
	private boolean framesTaken;

	/**
	 * Whether the connection takes frames straight from the read's buffer when nothing
	 * waits in the cumulation ({@link #takeFrames}): a server's connection.
	 */
	private boolean direct;

	/**
	 * Whether bytes were decoded since the last read batch ended; on the event loop only.
	 */
	private boolean readInBatch;

	/** Bytes after the reader index already searched for a delimiter. */
	private int scanned;

	/** Bytes of the cumulation counted towards the server's buffer budget. */
	private int accounted;

	/**
	 * When the unfinished frame's first byte arrived ({@link System#nanoTime()}), or
	 * {@link #NO_FRAME}; on the event loop only.
	 */
	private long frameStart = NO_FRAME;

	/**
	 * When the last frame ended or the last reply was written. Written from any thread
	 * without a task: the idle timer reads it when it fires (as Netty's
	 * {@code IdleStateHandler} does), so that no frame or reply reschedules a timer.
	 */
	private volatile long lastActivity;

	private @Nullable ScheduledFuture<?> frameTimer;

	/**
	 * The buffer last handed to a read with the unfinished frame's bytes already in front
	 * ({@link #readBuffer}), and the cumulation they were copied from; on the event loop
	 * only.
	 */
	private @Nullable ByteBuf prefixed;

	private @Nullable ByteBuf prefixedFrom;

	private int prefixLength;

	private @Nullable ScheduledFuture<?> idleTimer;

	FrameDecoder(SocketServerSettings settings, boolean lends, ServerConnection connection) {
		this(settings.framing(), settings.maxMessageSize(), lends, settings.frameTimeout().toNanos(),
				settings.idleTimeout().toNanos(), new Owner() {

					@Override
					public boolean isStopping() {
						return connection.isStopping();
					}

					@Override
					public boolean isBusy() {
						return connection.isBusy();
					}

					@Override
					public void frameQueued(int length) {
						connection.frameQueued(length);
					}

					@Override
					public void buffered(int delta) {
						connection.buffered(delta);
					}

					@Override
					public boolean frameRead(ChannelHandlerContext ctx, Object frame) {
						connection.frameRead(ctx, frame);
						return true;
					}

				});
		this.direct = true;
	}

	/**
	 * A decoder for a connection other than a server's (a client's subscription).
	 * @param framing the framing
	 * @param max {@code max-message-size}
	 * @param lends whether frames are {@link LentFrame}s instead of arrays
	 * @param frameTimeoutNanos {@code frame-timeout}, or 0 for none
	 * @param idleTimeoutNanos {@code idle-timeout}, or 0 for none
	 * @param owner the connection the frames go to
	 */
	FrameDecoder(Framing framing, int max, boolean lends, long frameTimeoutNanos, long idleTimeoutNanos, Owner owner) {
		this.framing = framing;
		this.max = max;
		this.lends = lends;
		this.frameTimeoutNanos = frameTimeoutNanos;
		this.idleTimeoutNanos = idleTimeoutNanos;
		this.connection = owner;
		setCumulator(this::cumulate);
	}

	/**
	 * The connection a decoder reads for: a server's {@link ServerConnection} or a
	 * client's subscription.
	 */
	interface Owner {

		/**
		 * Whether what arrives now is to be dropped unread (the connection is closing).
		 */
		boolean isStopping();

		/** Whether frames are queued or being handled (the idle deadline waits). */
		boolean isBusy();

		/** A frame of this many payload bytes was cut and goes to the listener. */
		void frameQueued(int length);

		/** The cumulation grew (or shrank) by this many bytes. */
		void buffered(int delta);

		/**
		 * Take a frame straight from the decoder instead of as a message passed down the
		 * pipeline: the same order and the same thread, without the pipeline's hand-over
		 * per frame (ADR 0001, session 10 amendment).
		 * @param ctx the decoder's context
		 * @param frame the frame
		 * @return whether the frame was taken; if not, it goes down the pipeline
		 */
		default boolean frameRead(ChannelHandlerContext ctx, Object frame) {
			return false;
		}

	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.lastActivity = System.nanoTime();
		scheduleIdleTimer(ctx, this.idleTimeoutNanos);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.connection.isStopping()) {
			// the server is stopping: what arrives now is never read, the connection is
			// closed once its calls are answered
			((ByteBuf) msg).release();
			return;
		}
		this.readInBatch = true;
		if (this.direct && this.framing != Framing.RAW && internalBuffer() == Unpooled.EMPTY_BUFFER
				&& ((ByteBuf) msg).isReadable() && takeFrames(ctx, (ByteBuf) msg)) {
			return;
		}
		super.channelRead(ctx, msg);
		account(ctx);
	}

	/**
	 * While no unfinished frame waits in the cumulation (a request/reply connection,
	 * almost always), the frames of a read are cut from the read's buffer itself and
	 * handed to the connection, without Netty's cumulation and decode loop (ADR 0001,
	 * session 10 amendment). An unfinished frame at the end goes to the cumulation as
	 * usual.
	 * @return whether the buffer was used up and released; {@code false}: its rest is
	 * still to be cumulated
	 */
	private boolean takeFrames(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
		boolean release = true;
		try {
			do {
				Object frame = nextFrame(in);
				if (frame == null) {
					release = false;
					return false;
				}
				frameCompleted(ctx, in);
				this.framesTaken = true;
				this.connection.frameRead(ctx, frame);
				if (ctx.isRemoved() || this.connection.isStopping()) {
					// closed or stopping: the rest is never read (as decode drops it)
					return true;
				}
			}
			while (in.isReadable());
			return true;
		}
		finally {
			if (release) {
				in.release();
			}
		}
	}

	/**
	 * A buffer for the next read of a stream: when an unfinished frame's bytes wait in
	 * the cumulation, the read goes behind them if the cumulation has room for half the
	 * read to come; otherwise, if they are few next to that read, they are copied to the
	 * front of the read's buffer, which then becomes the cumulation ({@link #cumulate}).
	 * Merging would instead copy every byte the read brings behind them: on a TCP stream,
	 * whose reads rarely end at a frame's end, every byte twice. Nothing changes until
	 * the read brings bytes (a read that brings none releases the buffer), and the buffer
	 * is sized by what reads brought so far ({@code guess}), never by a length header.
	 * @param allocator the channel's allocator
	 * @param guess the size of the read to come
	 * @return the buffer, or {@code null} to read into a buffer of its own
	 */
	@Nullable ByteBuf readBuffer(ByteBufAllocator allocator, int guess) {
		this.prefixed = null;
		this.prefixedFrom = null;
		ByteBuf cumulation = internalBuffer();
		int waiting = cumulation.readableBytes();
		if (waiting == 0 || cumulation.refCnt() != 1) {
			return null;
		}
		if (cumulation.writableBytes() >= guess / 2) {
			// room behind the unfinished frame: the read goes there, nothing is copied
			this.prefixed = cumulation;
			this.prefixedFrom = cumulation;
			this.prefixLength = 0;
			return cumulation.retain();
		}
		if (waiting > guess / 2) {
			return null;
		}
		// the guess, not the guess on top: a buffer over the allocator's pooled sizes
		// would be fresh, zeroed memory for every read
		ByteBuf buffer = allocator.directBuffer(guess);
		buffer.writeBytes(cumulation, cumulation.readerIndex(), waiting);
		this.prefixed = buffer;
		this.prefixedFrom = cumulation;
		this.prefixLength = waiting;
		return buffer;
	}

	/**
	 * Forget the last prefixed buffer: called before every read's buffer is chosen, so
	 * that a prefixed buffer a read left empty (and released) is never mistaken for a
	 * later one.
	 */
	void readBufferUnused() {
		this.prefixed = null;
		this.prefixedFrom = null;
	}

	private ByteBuf cumulate(ByteBufAllocator allocator, ByteBuf cumulation, ByteBuf in) {
		boolean prefixedRead = in == this.prefixed;
		boolean fromCumulation = cumulation == this.prefixedFrom;
		this.prefixed = null;
		this.prefixedFrom = null;
		if (prefixedRead) {
			if (fromCumulation) {
				// the unfinished frame's bytes were copied in front of what was read,
				// or the read went behind them into the cumulation itself (which was
				// retained for it)
				cumulation.release();
				return in;
			}
			// the cumulation changed since (never expected): keep only what was read
			in.skipBytes(Math.min(this.prefixLength, in.readableBytes()));
		}
		return MERGE_CUMULATOR.cumulate(allocator, cumulation, in);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
		if (this.connection.isStopping()) {
			in.skipBytes(in.readableBytes());
			return;
		}
		Object frame = nextFrame(in);
		if (frame != null) {
			frameCompleted(ctx, in);
			if (this.connection.frameRead(ctx, frame)) {
				this.framesTaken = true;
			}
			else {
				out.add(frame);
			}
		}
	}

	/**
	 * As Netty's, except after a read batch whose frames the connection took directly:
	 * Netty asks for another read when auto-read is off and the batch put no message in
	 * its list (the decoder waits for more bytes), which would read past a pause
	 * (back-pressure, the buffer budget, a stop) when the frames went past the list. A
	 * batch that brought nothing to decode ends as Netty ends it then (without that read,
	 * and whatever Netty's own flags still say about the batch before).
	 */
	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		boolean read = this.readInBatch;
		this.readInBatch = false;
		if (read && !this.framesTaken) {
			super.channelReadComplete(ctx);
			return;
		}
		this.framesTaken = false;
		discardSomeReadBytes();
		ctx.fireChannelReadComplete();
	}

	private @Nullable Object nextFrame(ByteBuf in) throws FrameException {
		return switch (this.framing) {
			case LENGTH_PREFIXED -> lengthPrefixed(in);
			case LINE -> delimited(in, false);
			case CRLF -> delimited(in, true);
			case STX_ETX -> stxEtx(in);
			case RAW -> rawSoFar(in);
		};
	}

	@Override
	protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
		if (this.framing == Framing.RAW) {
			if (in.isReadable()) {
				out.add(take(in, in.readableBytes(), 0));
				frameCompleted(ctx, in);
			}
			return;
		}
		int before = in.readerIndex();
		decode(ctx, in, out);
		// no frame (none in out, none taken by the connection) and bytes left
		if (out.isEmpty() && in.readerIndex() == before && in.isReadable()) {
			int length = in.readableBytes();
			in.skipBytes(length);
			throw FrameException.incomplete(length);
		}
	}

	private @Nullable Object lengthPrefixed(ByteBuf in) throws FrameException {
		if (in.readableBytes() < 4) {
			return null;
		}
		long length = in.getUnsignedInt(in.readerIndex());
		if (length > this.max) {
			throw FrameException
				.oversized("Length header of " + length + " bytes exceeds max-message-size of " + this.max + " bytes");
		}
		if (in.readableBytes() - 4 < length) {
			return null;
		}
		return take(in, (int) length, 4);
	}

	private @Nullable Object delimited(ByteBuf in, boolean crlf) throws FrameException {
		int start = in.readerIndex();
		int end = in.writerIndex();
		int from = start + this.scanned;
		while (true) {
			int found = in.indexOf(from, end, (byte) '\n');
			if (found < 0) {
				this.scanned = end - start;
				// one byte of slack so that CRLF's '\r' may sit at the limit
				if (this.scanned > this.max + (crlf ? 1 : 0)) {
					throw oversized();
				}
				return null;
			}
			int length = found - start;
			if (crlf) {
				if (length == 0 || in.getByte(found - 1) != '\r') {
					// a bare line feed belongs to the message
					from = found + 1;
					continue;
				}
				length--;
			}
			if (length > this.max) {
				throw oversized();
			}
			return take(in, length, 0, found + 1 - start - length);
		}
	}

	private @Nullable Object stxEtx(ByteBuf in) throws FrameException {
		int start = in.readerIndex();
		int first = in.getUnsignedByte(start);
		if (first != STX) {
			throw FrameException
				.corrupt("Expected STX (0x02) at the start of a frame but got 0x" + Integer.toHexString(first));
		}
		int end = in.writerIndex();
		int from = start + 1 + this.scanned;
		int found = in.indexOf(from, end, (byte) ETX);
		if (found < 0) {
			this.scanned = end - start - 1;
			if (this.scanned > this.max) {
				throw oversized();
			}
			return null;
		}
		int length = found - start - 1;
		if (length > this.max) {
			throw oversized();
		}
		return take(in, length, 1, 1);
	}

	private @Nullable Object rawSoFar(ByteBuf in) throws FrameException {
		// a raw message is everything until the peer ends its output (decodeLast)
		if (in.readableBytes() > this.max) {
			throw oversized();
		}
		return null;
	}

	private FrameException oversized() {
		return FrameException.oversized("Frame exceeds max-message-size of " + this.max + " bytes");
	}

	private Object take(ByteBuf in, int length, int before) {
		return take(in, length, before, 0);
	}

	private Object take(ByteBuf in, int length, int before, int after) {
		this.scanned = 0;
		// the frame was found inside the readable bytes: the reader index moves without
		// skipBytes' checks
		int start = in.readerIndex() + before;
		Object frame;
		if (this.lends && length >= LentFrame.MIN_LENGTH) {
			in.readerIndex(start);
			frame = LentFrame.take(in, length);
		}
		else {
			frame = ByteBufUtil.getBytes(in, start, length);
		}
		in.readerIndex(start + length + after);
		this.connection.frameQueued(length);
		return frame;
	}

	private void frameCompleted(ChannelHandlerContext ctx, ByteBuf in) {
		// a next frame that began in the same read and is not complete at its end is
		// stamped then (account)
		this.frameStart = NO_FRAME;
		activity();
	}

	/**
	 * Count what the cumulation holds now towards the server's budget; over the budget
	 * the connection pauses.
	 */
	private void account(ChannelHandlerContext ctx) {
		ByteBuf buffer = internalBuffer();
		int now = buffer.readableBytes();
		int delta = now - this.accounted;
		this.accounted = now;
		if (delta != 0) {
			this.connection.buffered(delta);
		}
		if (now == 0) {
			this.frameStart = NO_FRAME;
		}
		else if (this.frameStart == NO_FRAME) {
			// a frame is unfinished at the end of this read, and it began in this read
			// (an earlier unfinished one would have been stamped already): its deadline
			// starts now. Frames that end in the read they began in, the usual case, cost
			// no clock read and keep no timer scheduled.
			startFrame(ctx);
		}
	}

	@Override
	protected void handlerRemoved0(ChannelHandlerContext ctx) {
		cancelFrameTimer();
		if (this.idleTimer != null) {
			this.idleTimer.cancel(false);
			this.idleTimer = null;
		}
		if (this.accounted != 0) {
			this.connection.buffered(-this.accounted);
			this.accounted = 0;
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		super.channelInactive(ctx);
		handlerRemoved0(ctx);
	}

	/**
	 * A frame began: it must be complete {@code frame-timeout} from now. The timer is
	 * scheduled only when none is pending; a pending one re-checks when it fires, so a
	 * stream of frames costs no timer task per frame.
	 */
	private void startFrame(ChannelHandlerContext ctx) {
		if (this.frameTimeoutNanos <= 0) {
			return;
		}
		long now = System.nanoTime();
		this.frameStart = now;
		if (this.frameTimer == null) {
			scheduleFrameTimer(ctx, this.frameTimeoutNanos);
		}
	}

	private void scheduleFrameTimer(ChannelHandlerContext ctx, long delayNanos) {
		this.frameTimer = ctx.executor().schedule(() -> {
			this.frameTimer = null;
			long start = this.frameStart;
			if (start == NO_FRAME) {
				return;
			}
			long left = start + this.frameTimeoutNanos - System.nanoTime();
			if (left > 0) {
				scheduleFrameTimer(ctx, left);
				return;
			}
			ctx.fireExceptionCaught(FrameException.frameTimeout("a frame was not complete within frame-timeout ("
					+ Duration.ofNanos(this.frameTimeoutNanos) + ") of its first byte"));
		}, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void cancelFrameTimer() {
		this.frameStart = NO_FRAME;
		ScheduledFuture<?> timer = this.frameTimer;
		if (timer != null) {
			timer.cancel(false);
			this.frameTimer = null;
		}
	}

	/**
	 * The idle deadline runs from {@link #lastActivity}: at accept, at the end of each
	 * frame and after each reply. When the timer fires early because there was activity
	 * since, it is scheduled again for the rest.
	 */
	private void scheduleIdleTimer(ChannelHandlerContext ctx, long delayNanos) {
		if (this.idleTimeoutNanos <= 0) {
			return;
		}
		this.idleTimer = ctx.executor().schedule(() -> {
			this.idleTimer = null;
			if (this.connection.isBusy()) {
				// the server itself is busy with the connection
				this.lastActivity = System.nanoTime();
				scheduleIdleTimer(ctx, this.idleTimeoutNanos);
				return;
			}
			long left = this.lastActivity + this.idleTimeoutNanos - System.nanoTime();
			if (left > 0) {
				scheduleIdleTimer(ctx, left);
				return;
			}
			ctx.fireExceptionCaught(FrameException
				.idleTimeout("idle for longer than idle-timeout (" + Duration.ofNanos(this.idleTimeoutNanos) + ")"));
		}, delayNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Restart the idle deadline, from any thread, without a task.
	 */
	void activity() {
		// without an idle deadline nobody reads the time: a clock read is a noticeable
		// part of a request's cost on a virtual machine
		if (this.idleTimeoutNanos > 0) {
			this.lastActivity = System.nanoTime();
		}
	}

}
