package dev.ipcboot.socket.internal;

import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import dev.ipcboot.socket.Framing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream read may go behind the unfinished frame's bytes in the cumulation, or to a
 * buffer with them copied in front ({@link FrameDecoder#readBuffer}), instead of being
 * merged behind them: the frames that come out are byte for byte the frames sent, whether
 * the read brings bytes or comes back empty (its buffer released, the cumulation
 * untouched), and a buffer is only offered while the waiting bytes are few next to the
 * read to come.
 */
class FrameDecoderPrefixedReadTests {

	private static final int FRAME = 100_000;

	private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

	@Test
	void aFrameSplitAcrossAPrefixedReadComesOutWholeAndUnchanged() {
		byte[] payload = payload();
		FrameDecoder decoder = decoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		ByteBuf frame = Unpooled.buffer().writeInt(FRAME).writeBytes(payload);
		channel.writeInbound(frame.readBytes(10_000));
		assertThat((Object) channel.readInbound()).isNull();
		ByteBuf read = decoder.readBuffer(this.allocator, 256 * 1024);
		assertThat(read).isNotNull();
		assertThat(read.readableBytes()).isEqualTo(10_000);
		read.writeBytes(frame); // what the socket brought
		frame.release();
		channel.writeInbound(read);
		byte[] received = channel.readInbound();
		assertThat(received).isEqualTo(payload);
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void aPrefixedReadThatBroughtNothingLeavesTheCumulationAsItWas() {
		byte[] payload = payload();
		FrameDecoder decoder = decoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		ByteBuf frame = Unpooled.buffer().writeInt(FRAME).writeBytes(payload);
		channel.writeInbound(frame.readBytes(20_000));
		ByteBuf empty = decoder.readBuffer(this.allocator, 256 * 1024);
		assertThat(empty).isNotNull();
		empty.release(); // the read found nothing: the channel releases its buffer
		decoder.readBufferUnused();
		channel.writeInbound(this.allocator.directBuffer().writeBytes(frame));
		frame.release();
		byte[] received = channel.readInbound();
		assertThat(received).isEqualTo(payload);
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void aReadGoesBehindTheUnfinishedFrameWhenTheCumulationHasRoomAndAnEmptyReadChangesNothing() {
		byte[] payload = payload();
		FrameDecoder decoder = decoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		ByteBuf frame = Unpooled.buffer().writeInt(FRAME).writeBytes(payload);
		ByteBuf first = this.allocator.directBuffer(256 * 1024).writeBytes(frame, 30_000);
		channel.writeInbound(first);
		ByteBuf empty = decoder.readBuffer(this.allocator, 64 * 1024);
		assertThat(empty).isSameAs(first);
		empty.release(); // the read found nothing
		decoder.readBufferUnused();
		ByteBuf read = decoder.readBuffer(this.allocator, 64 * 1024);
		assertThat(read).isSameAs(first);
		assertThat(read.readableBytes()).isEqualTo(30_000);
		read.writeBytes(frame);
		frame.release();
		channel.writeInbound(read);
		byte[] received = channel.readInbound();
		assertThat(received).isEqualTo(payload);
		assertThat(first.refCnt()).isZero();
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void noPrefixedBufferWhileTheWaitingBytesAreManyNextToTheReadOrNone() {
		FrameDecoder decoder = decoder();
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		assertThat(decoder.readBuffer(this.allocator, 256 * 1024)).as("nothing waiting").isNull();
		channel.writeInbound(Unpooled.buffer().writeInt(FRAME).writeBytes(new byte[60_000]));
		assertThat(decoder.readBuffer(this.allocator, 64 * 1024)).as("60,004 bytes before a 64 KiB read").isNull();
		decoder.readBufferUnused();
		channel.writeInbound(Unpooled.buffer().writeBytes(new byte[FRAME - 60_000]));
		byte[] received = channel.readInbound();
		assertThat(received).hasSize(FRAME);
		assertThat(channel.finish()).isFalse();
	}

	private static byte[] payload() {
		byte[] payload = new byte[FRAME];
		new Random(12).nextBytes(payload);
		return payload;
	}

	private static FrameDecoder decoder() {
		return new FrameDecoder(Framing.LENGTH_PREFIXED, 1024 * 1024, false, 0, 0, new FrameDecoder.Owner() {

			@Override
			public boolean isStopping() {
				return false;
			}

			@Override
			public boolean isBusy() {
				return false;
			}

			@Override
			public void frameQueued(int length) {
			}

			@Override
			public void buffered(int delta) {
			}

		});
	}

}
