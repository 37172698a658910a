package dev.ipcboot.socket.shm.internal;

import dev.ipcboot.socket.shm.ShmClientSettings;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.messaging.converter.ByteArrayMessageConverter;

/**
 * A client in another JVM for {@link ShmServerTests}: sends its second argument to the
 * server at its first and prints the reply.
 */
final class ShmClientMain {

	private ShmClientMain() {
	}

	public static void main(String[] args) {
		try (ShmIpcClient client = new ShmIpcClient(new ShmClientSettings("other-jvm", Path.of(args[0]), 0,
				Duration.ofSeconds(5), Duration.ofSeconds(10), 1), new ByteArrayMessageConverter(), Runnable::run)) {
			System.out.println(client.request(args[1], String.class));
		}
	}

}
