package dev.ipcboot.socket.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The engine's platform workers: at most {@code maxThreads} threads, started when needed
 * and ended after {@code keepAlive} idle, that wake one another only when work waits and
 * nobody is already looking for it.
 * <p>
 * A {@code ThreadPoolExecutor} wakes an idle thread for every task while any thread is
 * idle. The event loop hands a worker one task per connection with frames in a read pass,
 * so 16 busy connections woke 16 threads per pass, each to run one short listener call
 * and park again: with 16 clients and a CPU for the server, {@code dispatch: workers}
 * served 0.53x of a plain JDK server's requests over local sockets and 0.71x over TCP
 * (0.55-0.62x and 0.84-0.89x with this pool; ADR 0001, session 11). Here, as in Go's
 * scheduler, a thread that was woken or has just finished a task counts as
 * <em>searching</em>; a new task wakes a thread only when nobody searches, and a
 * searching thread that takes a task wakes the next one only if more tasks wait. A burst
 * of short tasks is then run by one or two threads back to back, while a thread held by a
 * long call (it does not search) does not delay the next task: that task finds nobody
 * searching and wakes, or starts, another thread.
 * <p>
 * The queue has no bound of its own, as the executor's had none: a server connection
 * queues its frames itself (at most 32 before it stops reading) and gives the workers one
 * task for all of them, and a subscribing client one to drain and one to connect, so the
 * queue holds at most a task per connection and two per subscription
 * ({@code SocketDispatchTests}).
 */
final class WorkerPool extends AbstractExecutorService {

	private final int maxThreads;

	private final long keepAliveNanos;

	private final ThreadFactory threadFactory;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Threads woken or started and not yet parked, or looking for the next task. */
	private final AtomicInteger searching = new AtomicInteger();

	private final Object monitor = new Object();

	/** Guarded by {@link #monitor}: parked workers, the last parked first. */
	private final ArrayDeque<Worker> idle = new ArrayDeque<>();

	/** Guarded by {@link #monitor}: every worker started and not ended. */
	private final Set<Worker> workers = new HashSet<>();

	private volatile boolean shutdown;

	/** Set by {@link #shutdownNow()}: a task taken from the queue runs interrupted. */
	private volatile boolean stopped;

	/**
	 * A pool with no thread yet.
	 * @param maxThreads most threads at once
	 * @param keepAlive how long a thread waits idle before it ends
	 * @param unit the unit of {@code keepAlive}
	 * @param threadFactory makes the threads
	 */
	WorkerPool(int maxThreads, long keepAlive, TimeUnit unit, ThreadFactory threadFactory) {
		if (maxThreads <= 0) {
			throw new IllegalArgumentException("maxThreads must be positive, was " + maxThreads);
		}
		this.maxThreads = maxThreads;
		this.keepAliveNanos = unit.toNanos(keepAlive);
		this.threadFactory = threadFactory;
	}

	@Override
	public void execute(Runnable task) {
		if (this.shutdown) {
			throw new RejectedExecutionException("the socket engine's workers are shut down");
		}
		this.tasks.offer(task);
		// a searching thread reads the queue after it stops counting itself (park), so
		// either it sees this task or this sees it gone
		try {
			if (this.searching.get() == 0) {
				wakeOne();
			}
		}
		catch (RuntimeException | Error ex) {
			// no thread could be started: refuse the task unless a thread took it already
			if (this.tasks.remove(task)) {
				throw (ex instanceof RejectedExecutionException rejected) ? rejected
						: new RejectedExecutionException("the socket engine could not start a worker thread", ex);
			}
			return;
		}
		// a shutdown meanwhile: the threads may have ended (or not started) without
		// seeing this task; refuse it unless a thread took it already
		if (this.shutdown && this.tasks.remove(task)) {
			throw new RejectedExecutionException("the socket engine's workers are shut down");
		}
	}

	/**
	 * Queue several tasks and wake at most one thread for them all, where
	 * {@link #execute} would wake one for the first: the thread that takes a task wakes
	 * the next one only if more wait. An event loop hands over the tasks of one I/O pass
	 * this way, so that a worker it wakes does not take the CPU from it before the pass
	 * has queued them all.
	 * @param <T> the type of the tasks
	 * @param batch the tasks, in order
	 * @param refused told of each task that will not run (the pool is shut down, or no
	 * thread could be started and none took it), on the calling thread
	 */
	<T extends Runnable> void executeAll(List<T> batch, BiConsumer<? super T, RejectedExecutionException> refused) {
		RejectedExecutionException failure = null;
		if (this.shutdown) {
			failure = new RejectedExecutionException("the socket engine's workers are shut down");
			for (T task : batch) {
				refused.accept(task, failure);
			}
			return;
		}
		this.tasks.addAll(batch);
		// as in execute: a searching thread will see these tasks
		try {
			if (this.searching.get() == 0) {
				wakeOne();
			}
		}
		catch (RuntimeException | Error ex) {
			failure = (ex instanceof RejectedExecutionException rejected) ? rejected
					: new RejectedExecutionException("the socket engine could not start a worker thread", ex);
		}
		if (failure == null && this.shutdown) {
			failure = new RejectedExecutionException("the socket engine's workers are shut down");
		}
		if (failure != null) {
			// refuse what no thread took already
			for (T task : batch) {
				if (this.tasks.remove(task)) {
					refused.accept(task, failure);
				}
			}
		}
	}

	/**
	 * Wake the last parked worker, or start one if fewer than the most are running; it
	 * counts as searching from here. With every thread busy the task waits for the first
	 * one to finish.
	 */
	private void wakeOne() {
		Worker worker;
		synchronized (this.monitor) {
			if (this.searching.get() > 0) {
				// another caller woke one meanwhile
				return;
			}
			worker = this.idle.pollFirst();
			if (worker == null) {
				if (this.shutdown || this.workers.size() >= this.maxThreads) {
					return;
				}
				this.searching.incrementAndGet();
				worker = new Worker();
				Thread thread;
				try {
					thread = this.threadFactory.newThread(worker);
				}
				catch (Throwable ex) {
					this.searching.decrementAndGet();
					throw ex;
				}
				if (thread == null) {
					this.searching.decrementAndGet();
					throw new RejectedExecutionException("the thread factory made no worker thread");
				}
				worker.thread = thread;
				this.workers.add(worker);
				try {
					thread.start();
				}
				catch (Throwable ex) {
					this.workers.remove(worker);
					this.searching.decrementAndGet();
					throw ex;
				}
				return;
			}
			this.searching.incrementAndGet();
			worker.woken = true;
		}
		LockSupport.unpark(worker.thread);
	}

	@Override
	public void shutdown() {
		List<Worker> parked;
		synchronized (this.monitor) {
			this.shutdown = true;
			parked = new ArrayList<>(this.idle);
			for (Worker worker : parked) {
				// woken as searching threads: they find the queue empty and end
				this.searching.incrementAndGet();
				worker.woken = true;
			}
			this.idle.clear();
		}
		// parked workers end; busy ones run what is queued first
		parked.forEach((worker) -> LockSupport.unpark(worker.thread));
	}

	@Override
	public List<Runnable> shutdownNow() {
		this.stopped = true;
		shutdown();
		List<Runnable> left = new ArrayList<>();
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			left.add(task);
		}
		synchronized (this.monitor) {
			this.workers.forEach((worker) -> worker.thread.interrupt());
		}
		return left;
	}

	@Override
	public boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public boolean isTerminated() {
		synchronized (this.monitor) {
			return this.shutdown && this.workers.isEmpty();
		}
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		synchronized (this.monitor) {
			while (!(this.shutdown && this.workers.isEmpty())) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
			}
			return true;
		}
	}

	/** Tasks waiting for a thread (tests). */
	int queued() {
		return this.tasks.size();
	}

	/** Threads running now (tests). */
	int threads() {
		synchronized (this.monitor) {
			return this.workers.size();
		}
	}

	private final class Worker implements Runnable {

		@Nullable Thread thread;

		/** Guarded by {@link #monitor}: taken from the idle workers by a waker. */
		boolean woken;

		@Override
		public void run() {
			try {
				// started or woken as a searching thread
				while (true) {
					Runnable task = WorkerPool.this.tasks.poll();
					if (task != null) {
						// the last searcher takes a task: another looks for the next one
						if (WorkerPool.this.searching.decrementAndGet() == 0 && !WorkerPool.this.tasks.isEmpty()) {
							try {
								wakeOne();
							}
							catch (Throwable ex) {
								// no other thread: this one runs the queue after its task
								report(ex);
							}
						}
						runTask(task);
						WorkerPool.this.searching.incrementAndGet();
					}
					else if (!park()) {
						return;
					}
				}
			}
			finally {
				synchronized (WorkerPool.this.monitor) {
					WorkerPool.this.workers.remove(this);
					WorkerPool.this.monitor.notifyAll();
				}
			}
		}

		private void runTask(Runnable task) {
			// a task the socket layer gives handles its own failures; anything else is
			// reported as a thread's uncaught failure is, and the thread goes on
			Thread.interrupted();
			if (WorkerPool.this.stopped) {
				// shutdownNow may have interrupted this thread before the line above
				Thread.currentThread().interrupt();
			}
			try {
				task.run();
			}
			catch (Throwable ex) {
				report(ex);
			}
		}

		private void report(Throwable ex) {
			try {
				Thread current = Thread.currentThread();
				current.getUncaughtExceptionHandler().uncaughtException(current, ex);
			}
			catch (Throwable ignored) {
				// a failing handler must not end the thread with a task taken
			}
		}

		/**
		 * Nothing queued: stop searching and wait to be woken, at most the keep-alive.
		 * @return whether to search again ({@code false}: this thread ends, no longer
		 * counted as searching)
		 */
		private boolean park() {
			synchronized (WorkerPool.this.monitor) {
				if (WorkerPool.this.shutdown) {
					// after a shutdown nobody parks: what is queued is run, then the
					// threads end
					if (!WorkerPool.this.tasks.isEmpty()) {
						return true;
					}
					WorkerPool.this.searching.decrementAndGet();
					return false;
				}
				this.woken = false;
				WorkerPool.this.idle.addFirst(this);
			}
			WorkerPool.this.searching.decrementAndGet();
			// a task offered before the decrement may have seen this thread searching
			// and woken nobody: take this thread back if nobody has woken it meanwhile
			if (!WorkerPool.this.tasks.isEmpty()) {
				synchronized (WorkerPool.this.monitor) {
					if (WorkerPool.this.idle.remove(this)) {
						WorkerPool.this.searching.incrementAndGet();
						return true;
					}
				}
			}
			long deadline = System.nanoTime() + WorkerPool.this.keepAliveNanos;
			while (true) {
				synchronized (WorkerPool.this.monitor) {
					if (this.woken) {
						// counted as searching by the waker
						return true;
					}
					if (deadline - System.nanoTime() <= 0) {
						// no longer counted among the threads from here, so that a task
						// queued while this thread ends starts another one in its place
						WorkerPool.this.idle.remove(this);
						WorkerPool.this.workers.remove(this);
						WorkerPool.this.monitor.notifyAll();
						return false;
					}
				}
				// a pending interrupt (left by a task, or anyone's) would make
				// parkNanos return at once: this loop would spin until the keep-alive
				Thread.interrupted();
				LockSupport.parkNanos(this, deadline - System.nanoTime());
			}
		}

	}

}
