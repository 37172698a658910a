package dev.ipcboot.socket.internal;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an event loop hands the workers at the end of an I/O pass
 * ({@link EngineLoopGroup.EngineLoop#handOffAfterIo}): a connection whose worker the
 * workers refuse fails instead of waiting for a worker that never comes, and workers that
 * cannot start a task fail that task, not the loop.
 */
class BatchHandOffTests {

	@TempDir
	Path dir;

	/**
	 * Shut the engine's workers down while its loops go on, and wait until their threads
	 * have ended: the worker that answered the last request has left the connection's
	 * queue, so the next frame needs a worker of its own, which is refused.
	 */
	private static void stopWorkers(SocketServer server) {
		WorkerPool workers = (WorkerPool) server.engine().workers();
		workers.shutdown();
		await().atMost(Duration.ofSeconds(10)).until(() -> workers.threads() == 0);
	}

	@Test
	void aConnectionWhoseWorkerIsRefusedIsClosed() {
		Servers.echo("refused", SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			SocketServer server = context.getBean(SocketServers.class).get("refused");
			try (TestClient client = Servers.connect(context, "refused", Framing.LINE)) {
				assertThat(client.request("m0")).isEqualTo("echo:m0");
				stopWorkers(server);
				client.socket().setSoTimeout(10_000);
				client.send("m1");
				int read;
				try {
					read = client.readToEnd();
				}
				catch (SocketTimeoutException ex) {
					throw new AssertionError("the connection whose worker was refused is still open", ex);
				}
				assertThat(read).as("end of stream").isEqualTo(-1);
			}
		});
	}

	@Test
	void aFrameWhoseWorkerIsRefusedGivesItsBytesBackToTheServersBudget() {
		Servers.echo("budget", SocketTransport.LOCAL, Framing.LINE, this.dir).run((context) -> {
			SocketServer server = context.getBean(SocketServers.class).get("budget");
			try (TestClient client = Servers.connect(context, "budget", Framing.LINE)) {
				assertThat(client.request("m0")).isEqualTo("echo:m0");
				stopWorkers(server);
				client.socket().setSoTimeout(10_000);
				client.send("m1");
				// the frame was read: the connection failed
				assertThat(client.readToEnd()).isEqualTo(-1);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(
							() -> assertThat(server.bufferedBytes()).as("bytes held for unhandled frames").isZero());
			}
		});
	}

	@Test
	void aWorkersExecutorThatThrowsAtTheEndOfAnIoPassFailsTheTaskAndNotTheLoop() throws Exception {
		// an executor other than the pool (virtual threads) that fails otherwise than by
		// refusing, as a thread that cannot be started does
		EngineLoopGroup group = new EngineLoopGroup(1, new DefaultThreadFactory("hand-off-test", true),
				EpollIoHandler.newFactory(), (task) -> {
					throw new IllegalStateException("no thread");
				});
		CompletableFuture<Boolean> handedOff = new CompletableFuture<>();
		CompletableFuture<RejectedExecutionException> refused = new CompletableFuture<>();
		EngineLoopGroup.WorkerTask task = new EngineLoopGroup.WorkerTask() {

			@Override
			public void run() {
				throw new AssertionError("ran");
			}

			@Override
			public void refused(RejectedExecutionException ex) {
				refused.complete(ex);
			}

		};
		try {
			Path path = this.dir.resolve("hand-off.sock");
			Channel server = new ServerBootstrap().group(group)
				.channel(EpollServerDomainSocketChannel.class)
				.childHandler(new ChannelInboundHandlerAdapter() {

					@Override
					public void channelRead(ChannelHandlerContext ctx, Object msg) {
						ReferenceCountUtil.release(msg);
						handedOff
							.complete(((EngineLoopGroup.EngineLoop) ctx.channel().eventLoop()).handOffAfterIo(task));
					}

				})
				.bind(new DomainSocketAddress(path.toString()))
				.syncUninterruptibly()
				.channel();
			try (TestClient client = TestClient.local(path, Framing.RAW)) {
				client.writeRaw(new byte[] { 1 });
				assertThat(handedOff.get(5, TimeUnit.SECONDS)).as("read in an I/O pass").isTrue();
				assertThat(refused.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("no thread");
				assertThat(group.next().submit(() -> "running").get(5, TimeUnit.SECONDS)).isEqualTo("running");
			}
			server.close().syncUninterruptibly();
		}
		finally {
			group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
			group.joinThreads(2000);
		}
	}

}
