package dev.ipcboot.listener;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;

/**
 * One listener attached to one channel, with its run state: what the registry starts,
 * stops, pauses and resumes. While the listener may not receive, a message is held back
 * in one of three ways (ADR 0006): the channel stopped reading its source (messages
 * already read are delivered), the delivering thread waits (the source pushes back), or
 * the message is buffered, up to {@value #BUFFER_LIMIT} per listener with the oldest
 * dropped and counted.
 */
final class ListenerContainer implements IpcMessageListener {

	private static final Log logger = LogFactory.getLog(ListenerContainer.class);

	/** How many messages a buffering listener holds while paused. */
	static final int BUFFER_LIMIT = 1000;

	private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final String id;

	private final IpcChannel channel;

	private final IpcMessageListener delegate;

	private final boolean buffers;

	/**
	 * Whether the delegate copies a payload the channel lends for the call when it needs
	 * to (an {@link IpcListener} method's adapter, which knows the method); any other
	 * listener is given a copy (see {@link IpcChannel#addListener}).
	 */
	private final boolean takesLentPayloads;

	private final Object monitor = new Object();

	/** Guarded by {@link #monitor}. */
	private final ArrayDeque<Held> buffer = new ArrayDeque<>();

	private volatile boolean running;

	private volatile boolean paused;

	/**
	 * Whether the channel itself holds messages back (it stopped reading or receiving).
	 */
	private volatile boolean heldBySource;

	private volatile boolean closed;

	private long dropped;

	private long dropLogged;

	ListenerContainer(String id, IpcChannel channel, IpcMessageListener delegate) {
		this.id = id;
		this.channel = channel;
		this.delegate = delegate;
		this.buffers = !channel.blocksWhenHeld();
		this.takesLentPayloads = delegate instanceof MessagingIpcListenerAdapter;
	}

	String id() {
		return this.id;
	}

	IpcChannel channel() {
		return this.channel;
	}

	@Override
	public String describe() {
		return this.delegate.describe();
	}

	boolean isRunning() {
		return this.running;
	}

	boolean isPaused() {
		return this.paused;
	}

	boolean isHeldBySource() {
		return this.heldBySource;
	}

	boolean receives() {
		return this.running && !this.paused;
	}

	void update(boolean running, boolean paused, boolean heldBySource) {
		synchronized (this.monitor) {
			this.running = running;
			this.paused = paused;
			this.heldBySource = heldBySource;
			this.monitor.notifyAll();
			if (this.buffers && !running) {
				// a stopped listener receives nothing: what it buffered while paused goes
				countDropped(this.buffer.size());
				this.buffer.clear();
			}
		}
		if (receives()) {
			drain();
		}
	}

	/**
	 * Release every held thread, which then delivers its message: the application is
	 * stopping and its channels drain. A buffering listener drops what it still holds.
	 */
	void close() {
		synchronized (this.monitor) {
			this.closed = true;
			this.monitor.notifyAll();
			if (!receives()) {
				countDropped(this.buffer.size());
				this.buffer.clear();
			}
		}
	}

	@Override
	public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
		if (receives() || this.heldBySource) {
			drain();
			deliver(message, replyTarget);
			return;
		}
		if (this.buffers) {
			synchronized (this.monitor) {
				if (!receives() && !this.heldBySource) {
					if (this.running && !this.closed) {
						if (this.buffer.size() >= BUFFER_LIMIT) {
							this.buffer.removeFirst();
							countDropped(1);
						}
						// it outlives the call that may have lent its payload
						this.buffer.addLast(new Held(LentPayloads.owned(message), replyTarget));
					}
					else {
						countDropped(1);
					}
					return;
				}
			}
			drain();
			deliver(message, replyTarget);
			return;
		}
		awaitReceiving();
		deliver(message, replyTarget);
	}

	private void deliver(Message<?> message, IpcReplyTarget replyTarget) {
		this.delegate.onMessage(this.takesLentPayloads ? message : LentPayloads.owned(message), replyTarget);
	}

	private void awaitReceiving() {
		synchronized (this.monitor) {
			boolean interrupted = false;
			while (!receives() && !this.heldBySource && !this.closed) {
				try {
					this.monitor.wait();
				}
				catch (InterruptedException ex) {
					// the source is being torn down: deliver what this thread holds
					interrupted = true;
					break;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Deliver what was buffered while paused, in order, before anything newer. */
	private void drain() {
		if (!this.buffers) {
			return;
		}
		synchronized (this.monitor) {
			Held held;
			while ((held = this.buffer.pollFirst()) != null) {
				this.delegate.onMessage(held.message(), held.replyTarget());
			}
		}
	}

	/** Called with the monitor held. */
	private void countDropped(int count) {
		if (count == 0) {
			return;
		}
		this.dropped += count;
		long now = System.nanoTime();
		if (this.dropLogged == 0 || now - this.dropLogged > DROP_LOG_INTERVAL_NANOS) {
			this.dropLogged = now;
			logger.warn("Listener '" + this.id + "' on channel '" + this.channel.name() + "' is "
					+ (this.running ? "paused with " + BUFFER_LIMIT + " messages buffered" : "stopped") + ": dropped "
					+ this.dropped + " message(s) so far");
		}
	}

	long dropped() {
		synchronized (this.monitor) {
			return this.dropped;
		}
	}

	private record Held(Message<?> message, IpcReplyTarget replyTarget) {
	}

}
