package dev.ipcboot.socket.shm.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

import dev.ipcboot.internal.natives.AnonymousMemory;
import dev.ipcboot.internal.natives.Doorbell;

/**
 * The rendezvous: the server creates a connection's memory and passes it to the client
 * over the socket the client connected to ({@code SCM_RIGHTS}); the socket then stays
 * open only so that each side sees the other's end.
 */
final class ShmHandshake {

	private ShmHandshake() {
	}

	/** The server's side, on an accepted socket whose peer was admitted. */
	static ShmDuplex offer(String name, AFUNIXSocket socket, int capacity, int maxMessageSize, int spin)
			throws IOException {
		AnonymousMemory memory = AnonymousMemory.create("ipc-shm-" + name, ShmLayout.size(capacity));
		try {
			ShmLayout.initialise(new UnsafeBuffer(memory.buffer()), capacity, maxMessageSize);
			socket.setOutboundFileDescriptors(FileDescriptorCast.unsafeUsing(memory.fd()).getFileDescriptor());
			socket.getOutputStream().write(ShmLayout.HELLO);
			socket.getOutputStream().flush();
			return new ShmDuplex(name, memory, true, fd(socket.getFileDescriptor()), spin);
		}
		catch (IOException | RuntimeException ex) {
			memory.close();
			throw ex;
		}
	}

	/**
	 * The client's side: connect, receive the memory, check the header.
	 */
	static Connected connect(String name, Path path, int spin, int connectTimeoutMillis) throws IOException {
		AFUNIXSocket socket = AFUNIXSocket.newInstance();
		try {
			socket.setAncillaryReceiveBufferSize(1024);
			socket.connect(AFUNIXSocketAddress.of(path), connectTimeoutMillis);
			socket.setSoTimeout(Math.max(1, connectTimeoutMillis));
			InputStream input = socket.getInputStream();
			byte[] hello = input.readNBytes(ShmLayout.HELLO.length);
			FileDescriptor[] received = socket.getReceivedFileDescriptors();
			int[] fds = new int[(received != null) ? received.length : 0];
			for (int i = 0; i < fds.length; i++) {
				fds[i] = fd(received[i]);
			}
			if (!Arrays.equals(hello, ShmLayout.HELLO) || fds.length != ShmLayout.DESCRIPTORS) {
				Arrays.stream(fds).forEach(Doorbell::close);
				throw new IOException("Socket " + path + " is not a 'transport: shm' server (no memory was offered)");
			}
			AnonymousMemory memory = AnonymousMemory.map(fds[0], name);
			UnsafeBuffer header = new UnsafeBuffer(memory.buffer());
			if (header.getIntVolatile(ShmLayout.MAGIC_OFFSET) != ShmLayout.MAGIC
					|| header.getInt(ShmLayout.VERSION_OFFSET) != ShmLayout.VERSION) {
				memory.close();
				throw new IOException("Server at " + path + " offered memory of an unknown layout");
			}
			socket.setSoTimeout(0);
			ShmDuplex duplex = new ShmDuplex(name, memory, false, fd(socket.getFileDescriptor()), spin);
			return new Connected(socket, duplex);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	private static int fd(FileDescriptor descriptor) throws IOException {
		return FileDescriptorCast.using(descriptor).as(Integer.class);
	}

	/** A client's connection: the socket that keeps it alive and the rings. */
	record Connected(AFUNIXSocket socket, ShmDuplex duplex) {

		/**
		 * Close the socket first, which ends the server's side, then release the memory.
		 */
		void close() {
			this.duplex.markClosed();
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing a Unix-domain socket fails only for an invalid descriptor
			}
			this.duplex.close();
		}

	}

}
