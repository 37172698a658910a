package dev.ipcboot.socket.internal;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The I/O engine every socket server and subscribing client of an application shares: one
 * Netty event-loop group ({@code ipc-io-N} threads; epoll on Linux, with Unix-domain
 * sockets, abstract names and peer credentials, NIO elsewhere) and one bounded pool of
 * workers ({@code ipc-worker-N}) on which listeners are called, so that no thread is held
 * by an idle, slow or non-reading connection. With virtual threads the workers are
 * virtual threads. Closing it stops both.
 */
public final class SocketEngine implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SocketEngine.class);

	private static final long WORKER_KEEP_ALIVE_SECONDS = 10;

	/**
	 * Prototype (issue 12, measured in ADR 0001): with this system property set to
	 * {@code true} and Netty's io_uring transport on the class path and usable, the
	 * engine runs on io_uring instead of epoll.
	 */
	static final String IO_URING_PROPERTY = "ipc.socket.io-uring";

	private final boolean epoll;

	private final boolean ioUring;

	private final EngineLoopGroup group;

	private final Executor workers;

	/**
	 * Create an engine; its threads start on first use.
	 * @param workerThreads most listener calls running at once (platform threads)
	 * @param virtualThreads whether listeners run on virtual threads instead (JDK 21+)
	 */
	public SocketEngine(int workerThreads, boolean virtualThreads) {
		if (workerThreads <= 0) {
			throw new IllegalArgumentException("workerThreads must be positive, was " + workerThreads);
		}
		this.ioUring = Boolean.getBoolean(IO_URING_PROPERTY) && ioUringAvailable();
		this.epoll = this.ioUring || epollAvailable();
		if (this.ioUring) {
			logger.info("Socket engine on Netty's io_uring transport (" + IO_URING_PROPERTY + "=true)");
		}
		IoHandlerFactory io = this.ioUring ? IoUringIoHandler.newFactory()
				: this.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		int ioThreads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
		this.workers = virtualThreads ? new VirtualThreadTaskExecutor("ipc-worker-") : platformWorkers(workerThreads);
		this.group = new EngineLoopGroup(ioThreads, new DefaultThreadFactory("ipc-io", false), io, this.workers);
	}

	private static boolean ioUringAvailable() {
		try {
			if (IoUring.isAvailable()) {
				return true;
			}
			logger.info("Netty's io_uring transport is unavailable (" + IoUring.unavailabilityCause()
					+ "); socket servers use epoll");
		}
		catch (LinkageError ex) {
			logger.info("Netty's io_uring transport is not on the class path; socket servers use epoll");
		}
		return false;
	}

	private static boolean epollAvailable() {
		try {
			if (Epoll.isAvailable()) {
				return true;
			}
			logger.info("Netty's epoll transport is unavailable (" + Epoll.unavailabilityCause()
					+ "); socket servers use NIO, without peer credentials on local sockets");
		}
		catch (LinkageError ex) {
			logger.info("Netty's epoll transport is not on the class path; socket servers use NIO");
		}
		return false;
	}

	private static ExecutorService platformWorkers(int threads) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("ipc-worker-");
		factory.setDaemon(true);
		return new WorkerPool(threads, WORKER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, factory);
	}

	/**
	 * Whether the epoll transport is in use (Linux): only then are peer credentials known
	 * and abstract names available.
	 * @return whether it is
	 */
	public boolean isEpoll() {
		return this.epoll;
	}

	EventLoopGroup group() {
		return this.group;
	}

	Executor workers() {
		return this.workers;
	}

	/**
	 * Whether the caller is one of this engine's event loops, which must never wait.
	 * @return whether it is
	 */
	boolean inEventLoop() {
		for (EventExecutor loop : this.group) {
			if (loop.inEventLoop()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the engine runs on io_uring (a prototype, see {@link #IO_URING_PROPERTY}).
	 * @return whether it does
	 */
	boolean isIoUring() {
		return this.ioUring;
	}

	Class<? extends ServerChannel> serverChannelType(boolean local) {
		if (this.ioUring) {
			return local ? IoUringServerDomainSocketChannel.class : IoUringServerSocketChannel.class;
		}
		if (this.epoll) {
			return local ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
		}
		return local ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
	}

	/**
	 * The channel type of an outgoing connection (a client's subscription).
	 * @param local whether it is a Unix-domain socket
	 * @return the type for this engine's transport
	 */
	Class<? extends Channel> clientChannelType(boolean local) {
		if (this.ioUring) {
			return local ? IoUringDomainSocketChannel.class : IoUringSocketChannel.class;
		}
		if (this.epoll) {
			return local ? EpollDomainSocketChannel.class : EpollSocketChannel.class;
		}
		return local ? NioDomainSocketChannel.class : NioSocketChannel.class;
	}

	/**
	 * The address of a Unix-domain socket for this engine's transport.
	 * @param path the socket path, or the name for an abstract socket
	 * @param abstractName whether it is a Linux abstract name
	 * @return the address
	 * @throws UnsupportedOperationException for an abstract name without epoll
	 */
	SocketAddress localAddress(String path, boolean abstractName) {
		if (this.epoll) {
			return new DomainSocketAddress(abstractName ? "\0" + path : path);
		}
		if (abstractName) {
			throw new UnsupportedOperationException(
					"abstract socket names need Netty's epoll transport (Linux), which is unavailable");
		}
		return UnixDomainSocketAddress.of(Path.of(path));
	}

	/**
	 * Stop the event loops (after what they are writing) and the workers. It waits for
	 * the loops' termination rather than listening to it, and starts no thread of
	 * Netty's.
	 */
	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		this.group.joinThreads(2000);
		if (this.workers instanceof ExecutorService pool) {
			pool.shutdown();
			try {
				if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
					pool.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				pool.shutdownNow();
			}
		}
	}

}
