package dev.ipcboot.socket.internal;

import java.util.concurrent.TimeUnit;

import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's loops tell their I/O handler that nothing is scheduled ({@code -1}, the
 * contract of {@code IoHandlerContext.deadlineNanos()}) when nothing is, so that an idle
 * pass waits without a timeout instead of reading the clock and arming a kernel timer for
 * a made-up deadline one second away; a scheduled task still bounds the wait. Fails with
 * Netty's own {@code SingleThreadIoEventLoop}, which answers "now + 1 s".
 */
class EngineLoopDeadlineTests {

	@Test
	void aLoopWithNothingScheduledReportsNoDeadlineAndOneWithATaskReportsItsDeadline() throws Exception {
		EngineLoopGroup group = new EngineLoopGroup(1, new DefaultThreadFactory("deadline-test", true),
				EpollIoHandler.newFactory(), Runnable::run);
		try {
			EngineLoopGroup.EngineLoop loop = (EngineLoopGroup.EngineLoop) group.next();
			assertThat(loop.submit(loop::deadlineNanos).get(5, TimeUnit.SECONDS)).isEqualTo(-1L);
			ScheduledFuture<?> task = loop.schedule(() -> {
			}, 1, TimeUnit.HOURS);
			long withTask = loop.submit(loop::deadlineNanos).get(5, TimeUnit.SECONDS);
			assertThat(withTask).isGreaterThan(TimeUnit.MINUTES.toNanos(59));
			task.cancel(false);
			assertThat(loop.submit(loop::deadlineNanos).get(5, TimeUnit.SECONDS)).isEqualTo(-1L);
		}
		finally {
			group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
			group.joinThreads(2000);
		}
	}

}
