package dev.ipcboot.socket.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.AbstractEventLoopGroup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * The engine's event loops, grouped without Netty's
 * {@code MultithreadEventExecutorGroup}. That class adds a listener to each loop's
 * termination future, whose notifier is Netty's {@code GlobalEventExecutor}: shutting the
 * group down therefore started the non-daemon {@code globalEventExecutor} thread, which
 * idles a second before it ends and so kept every application's JVM alive for a second
 * after the context closed (issue 17). Here nobody listens to a loop's termination
 * future: the group's own termination completes when the last loop thread returns, on
 * that thread.
 */
final class EngineLoopGroup extends AbstractEventLoopGroup implements IoEventLoopGroup {

	private final IoEventLoop[] loops;

	private final List<EventExecutor> readOnlyLoops;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger running;

	private final Promise<Void> termination = new Termination();

	/** The loop threads started so far. */
	private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

	/**
	 * Loops that hand their worker tasks to the given workers.
	 * @param threads how many loops
	 * @param threadFactory makes the loops' threads
	 * @param io the transport's handlers
	 * @param workers where {@link EngineLoop#handOffAfterIo} tasks run
	 */
	EngineLoopGroup(int threads, ThreadFactory threadFactory, IoHandlerFactory io, Executor workers) {
		this.loops = new IoEventLoop[threads];
		this.running = new AtomicInteger(threads);
		Executor executor = (loop) -> {
			Thread thread = threadFactory.newThread(() -> {
				try {
					loop.run();
				}
				finally {
					if (this.running.decrementAndGet() == 0) {
						this.termination.trySuccess(null);
					}
				}
			});
			this.threads.add(thread);
			thread.start();
		};
		IoHandlerFactory fixedThread = fixedThread(io);
		for (int i = 0; i < threads; i++) {
			this.loops[i] = new EngineLoop(this, executor, fixedThread, workers);
		}
		this.readOnlyLoops = List.copyOf(Arrays.asList(this.loops));
	}

	/**
	 * The transport's handlers, for loops that keep their thread. A factory that supports
	 * changing threads makes each loop support suspension (Netty 4.2's auto-scaling
	 * groups), and such a loop times every I/O pass with two clock reads to report its
	 * utilization: on a request/reply connection that is two reads per request, about a
	 * tenth of the loop's own CPU in a profile. The engine's loops never suspend.
	 */
	private static IoHandlerFactory fixedThread(IoHandlerFactory io) {
		return new IoHandlerFactory() {

			@Override
			public IoHandler newHandler(ThreadAwareExecutor executor) {
				return io.newHandler(executor);
			}

			@Override
			public boolean isChangingThreadSupported() {
				return false;
			}

		};
	}

	@Override
	public IoEventLoop next() {
		return this.loops[Math.floorMod(this.next.getAndIncrement(), this.loops.length)];
	}

	@Override
	public Iterator<EventExecutor> iterator() {
		return this.readOnlyLoops.iterator();
	}

	@Override
	public ChannelFuture register(Channel channel) {
		return next().register(channel);
	}

	@Override
	public ChannelFuture register(ChannelPromise promise) {
		return next().register(promise);
	}

	@Override
	@Deprecated
	public ChannelFuture register(Channel channel, ChannelPromise promise) {
		return next().register(channel, promise);
	}

	@Override
	public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
		for (IoEventLoop loop : this.loops) {
			loop.shutdownGracefully(quietPeriod, timeout, unit);
		}
		return this.termination;
	}

	/**
	 * Wait until every loop thread has ended. The termination future completes on the
	 * last loop thread just before it returns, so a caller woken by it may still see that
	 * thread alive for a moment.
	 * @param timeoutMillis how long at most, in all
	 */
	void joinThreads(long timeoutMillis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		for (Thread thread : this.threads) {
			long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (left <= 0 || thread == Thread.currentThread()) {
				continue;
			}
			try {
				thread.join(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public Future<?> terminationFuture() {
		return this.termination;
	}

	@Override
	@Deprecated
	public void shutdown() {
		for (IoEventLoop loop : this.loops) {
			loop.shutdown();
		}
	}

	@Override
	public boolean isShuttingDown() {
		for (IoEventLoop loop : this.loops) {
			if (!loop.isShuttingDown()) {
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean isShutdown() {
		for (IoEventLoop loop : this.loops) {
			if (!loop.isShutdown()) {
				return false;
			}
		}
		return true;
	}

	@Override
	public boolean isTerminated() {
		return this.termination.isDone();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.termination.await(timeout, unit);
	}

	/**
	 * A loop that tells its I/O handler "nothing scheduled" when nothing is. Netty 4.2's
	 * {@code SingleThreadIoEventLoop} answers {@code IoHandlerContext.deadlineNanos()}
	 * with "now + 1 s" instead of the {@code -1} that method's contract promises, so the
	 * epoll handler saw a new deadline on every pass: it read the clock three times
	 * (twice in Java, once in its native wait) and armed a kernel timer for each
	 * {@code epoll_pwait2}, on a request/reply connection once per request. With
	 * {@code -1} it waits with a plain {@code epoll_wait} without a timeout, as Netty
	 * 4.1's epoll loop did; a scheduled task (a frame or idle deadline, a write-timeout
	 * check) still bounds the wait by its own deadline.
	 */
	static final class EngineLoop extends SingleThreadIoEventLoop {

		private final Executor workers;

		/** Worker tasks asked for during the current I/O pass; on the loop only. */
		private final ArrayList<WorkerTask> handOffs = new ArrayList<>();

		/** Whether the loop is in an I/O pass; on the loop only. */
		private boolean inIo;

		EngineLoop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory io, Executor workers) {
			super(parent, executor, io);
			this.workers = workers;
		}

		/**
		 * On this loop: give a task to the workers when the current I/O pass ends,
		 * together with the other tasks asked for in the pass. Handed over one by one,
		 * each connection's task woke a worker, which on a shared CPU took the CPU from
		 * the loop at once, ran one short call and parked again before the loop read the
		 * next connection; handed over together, one worker is woken for the pass and
		 * runs its calls back to back (ADR 0001, session 12).
		 * @param task the task
		 * @return {@code false} outside an I/O pass (hand it over now)
		 */
		boolean handOffAfterIo(WorkerTask task) {
			if (!this.inIo) {
				return false;
			}
			this.handOffs.add(task);
			return true;
		}

		@Override
		protected int runIo() {
			this.inIo = true;
			try {
				return super.runIo();
			}
			finally {
				this.inIo = false;
				if (!this.handOffs.isEmpty()) {
					handOff();
				}
			}
		}

		private void handOff() {
			try {
				if (this.workers instanceof WorkerPool pool) {
					pool.executeAll(this.handOffs, WorkerTask::refused);
				}
				else {
					for (WorkerTask task : this.handOffs) {
						try {
							this.workers.execute(task);
						}
						catch (RejectedExecutionException ex) {
							task.refused(ex);
						}
						catch (RuntimeException | Error ex) {
							// no thread could be started: thrown from
							// here it would end the loop, and the rest
							// of the pass's tasks with it
							task.refused(
									new RejectedExecutionException("the socket engine could not start a worker", ex));
						}
					}
				}
			}
			finally {
				this.handOffs.clear();
			}
		}

		@Override
		protected long deadlineNanos() {
			return nextScheduledTaskDeadlineNanos();
		}

	}

	/**
	 * Whether the caller is the channel's event loop; if it is not, the task is run there
	 * later (and dropped if the loop is shutting down, the channel with it). For state
	 * that must be worked out and applied by one thread, as auto-read is.
	 * @param channel the channel
	 * @param task what to run on its loop when the caller is another thread
	 * @return {@code true} if the caller is the channel's loop (go on here)
	 */
	static boolean inLoopOrLater(Channel channel, Runnable task) {
		EventLoop loop = channel.eventLoop();
		if (loop.inEventLoop()) {
			return true;
		}
		try {
			loop.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// the loop is shutting down and the channel with it
		}
		return false;
	}

	/**
	 * A task an event loop gives to the workers, told if they refuse it.
	 */
	interface WorkerTask extends Runnable {

		/**
		 * The workers refused the task (they are shut down, or no thread could be
		 * started); on the event loop that handed it over.
		 * @param ex why
		 */
		void refused(RejectedExecutionException ex);

	}

	/**
	 * Completed on the last loop thread; its listeners run on the completing thread.
	 * Waiting for it is refused only on one of the loops it waits for.
	 */
	private final class Termination extends DefaultPromise<Void> {

		Termination() {
			super(ImmediateEventExecutor.INSTANCE);
		}

		@Override
		protected void checkDeadLock() {
			for (IoEventLoop loop : EngineLoopGroup.this.loops) {
				if (loop.inEventLoop()) {
					throw new BlockingOperationException("waiting on an event loop for its own termination");
				}
			}
		}

	}

}
