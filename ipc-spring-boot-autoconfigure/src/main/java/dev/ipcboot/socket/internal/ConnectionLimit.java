package dev.ipcboot.socket.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Counts a server's admitted connections, in all and per peer (a uid on a local socket, a
 * remote address on TCP), and refuses one over {@code max-connections} or
 * {@code max-connections-per-peer}, so that one user or host cannot lock the others out.
 */
final class ConnectionLimit {

	private final int max;

	private final int maxPerPeer;

	private final AtomicInteger open = new AtomicInteger();

	private final ConcurrentHashMap<Object, AtomicInteger> perPeer = new ConcurrentHashMap<>();

	ConnectionLimit(int max, int maxPerPeer) {
		this.max = max;
		this.maxPerPeer = maxPerPeer;
	}

	/**
	 * Admit a connection or say why not.
	 * @param peer the peer's key
	 * @return {@code null} when admitted (release it later), else why not
	 */
	@Nullable Refusal admit(Object peer) {
		while (true) {
			int current = this.open.get();
			if (current >= this.max) {
				return new Refusal("max-connections", "server has max-connections (" + this.max + ") open");
			}
			if (this.open.compareAndSet(current, current + 1)) {
				break;
			}
		}
		AtomicInteger count = this.perPeer.computeIfAbsent(peer, (key) -> new AtomicInteger());
		if (count.incrementAndGet() > this.maxPerPeer) {
			release(peer);
			return new Refusal("max-connections-per-peer",
					"peer has max-connections-per-peer (" + this.maxPerPeer + ") open");
		}
		return null;
	}

	void release(Object peer) {
		this.open.decrementAndGet();
		this.perPeer.computeIfPresent(peer, (key, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

	int open() {
		return this.open.get();
	}

	/**
	 * Why a connection was refused.
	 *
	 * @param metric the reason tag of the failure metric
	 * @param description the reason, for people
	 */
	record Refusal(String metric, String description) {
	}

}
