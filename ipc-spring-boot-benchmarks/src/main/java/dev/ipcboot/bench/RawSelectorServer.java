package dev.ipcboot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;

/**
 * The plain JDK baseline for many connections: one thread, one {@link Selector}, every
 * connection non-blocking; it echoes whatever arrives (so it serves any framing) and
 * keeps what a slow reader could not take until the channel is writable again.
 */
final class RawSelectorServer implements AutoCloseable {

	private final ServerSocketChannel server;

	private final Selector selector;

	private final SocketAddress bound;

	private final Thread thread;

	private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

	private volatile boolean running = true;

	RawSelectorServer(SocketAddress address) throws IOException {
		this.server = (address instanceof UnixDomainSocketAddress)
				? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
		this.server.bind(address, 4096);
		this.bound = this.server.getLocalAddress();
		this.server.configureBlocking(false);
		this.selector = Selector.open();
		this.server.register(this.selector, SelectionKey.OP_ACCEPT);
		this.thread = new Thread(this::run, "bench-selector");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	SocketAddress address() {
		return this.bound;
	}

	private void run() {
		try {
			while (this.running) {
				this.selector.select();
				for (SelectionKey key : this.selector.selectedKeys()) {
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept();
					}
					else {
						serve(key);
					}
				}
				this.selector.selectedKeys().clear();
			}
		}
		catch (IOException ex) {
			// closed by close()
		}
	}

	private void accept() throws IOException {
		SocketChannel channel;
		while ((channel = this.server.accept()) != null) {
			channel.configureBlocking(false);
			if (channel.getLocalAddress() instanceof InetSocketAddress) {
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			}
			channel.register(this.selector, SelectionKey.OP_READ);
		}
	}

	private void serve(SelectionKey key) {
		SocketChannel channel = (SocketChannel) key.channel();
		try {
			ByteBuffer pending = (ByteBuffer) key.attachment();
			if (pending != null) {
				channel.write(pending);
				if (pending.hasRemaining()) {
					return;
				}
				key.attach(null);
				key.interestOps(SelectionKey.OP_READ);
			}
			if (!key.isReadable()) {
				return;
			}
			this.buffer.clear();
			if (channel.read(this.buffer) < 0) {
				channel.close();
				return;
			}
			this.buffer.flip();
			channel.write(this.buffer);
			if (this.buffer.hasRemaining()) {
				// the peer reads slower than it writes: keep the rest, stop reading
				ByteBuffer rest = ByteBuffer.allocate(this.buffer.remaining());
				rest.put(this.buffer).flip();
				key.attach(rest);
				key.interestOps(SelectionKey.OP_WRITE);
			}
		}
		catch (IOException ex) {
			key.cancel();
			try {
				channel.close();
			}
			catch (IOException closing) {
				ex.addSuppressed(closing);
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.running = false;
		this.selector.wakeup();
		try {
			this.thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (SelectionKey key : this.selector.keys()) {
			key.channel().close();
		}
		this.selector.close();
		this.server.close();
		if (this.bound instanceof UnixDomainSocketAddress unix) {
			Files.deleteIfExists(unix.getPath());
		}
	}

}
