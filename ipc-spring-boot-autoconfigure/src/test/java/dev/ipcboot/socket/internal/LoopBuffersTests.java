package dev.ipcboot.socket.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event loop's spare buffers are used again only when nobody else holds them: a reply
 * still queued or a read still in a cumulation keeps its buffer, which stays valid until
 * its holder releases it, and the loop takes a new spare meanwhile. Large reads (a
 * stream) are not given the spare.
 */
class LoopBuffersTests {

	private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

	@AfterEach
	void releaseSpares() {
		FastThreadLocal.removeAll();
	}

	@Test
	void aReplyBufferReleasedByItsWriterIsUsedAgainEmpty() {
		ByteBuf first = LoopBuffers.reply(this.allocator);
		first.writeBytes(new byte[] { 1, 2, 3 });
		first.release(); // written and released by the outbound buffer
		ByteBuf second = LoopBuffers.reply(this.allocator);
		assertThat(second).isSameAs(first);
		assertThat(second.readableBytes()).isZero();
		assertThat(second.refCnt()).isEqualTo(2);
		second.release();
	}

	@Test
	void aReplyBufferStillHeldIsLeftToItsHolderAndFreedWhenItReleasesIt() {
		ByteBuf held = LoopBuffers.reply(this.allocator);
		held.writeBytes(new byte[] { 7, 8, 9 });
		ByteBuf next = LoopBuffers.reply(this.allocator);
		assertThat(next).isNotSameAs(held);
		// the holder's bytes are untouched and its reference is the only one left
		assertThat(held.refCnt()).isEqualTo(1);
		assertThat(held.readByte()).isEqualTo((byte) 7);
		assertThat(held.release()).isTrue();
		next.release();
		assertThat(LoopBuffers.reply(this.allocator)).isSameAs(next).satisfies(ByteBuf::release);
	}

	@Test
	void smallReadsUseTheSpareWhileFreeAndLargeGuessesGetABufferOfTheirOwn() {
		RecvByteBufAllocator.Handle small = new LoopBuffers.Reads(new AdaptiveRecvByteBufAllocator(64, 1024, 4096))
			.newHandle();
		ByteBuf read = small.allocate(this.allocator);
		ByteBuf cumulated = read; // a decoder keeps the bytes of an unfinished frame
		ByteBuf again = small.allocate(this.allocator);
		assertThat(again).isNotSameAs(cumulated);
		again.release();
		assertThat(cumulated.release()).isTrue();
		RecvByteBufAllocator.Handle large = new LoopBuffers.Reads(
				new AdaptiveRecvByteBufAllocator(64, 256 * 1024, 1024 * 1024))
			.newHandle();
		ByteBuf stream = large.allocate(this.allocator);
		assertThat(stream.writableBytes()).isGreaterThan(LoopBuffers.SIZE);
		assertThat(stream.refCnt()).isEqualTo(1);
		stream.release();
	}

}
