package dev.ipcboot.socket.shm.internal;

import dev.ipcboot.socket.shm.ShmServerSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.ByteArrayMessageConverter;

import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * A server in another JVM for {@link ShmServerTests}: serves its first argument, prints
 * {@code ready}, and on a message prints {@code got <message>} and never answers, so that
 * the test can kill it while a request waits.
 */
final class ShmServerMain {

	private ShmServerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		ShmServer server = new ShmServer(new ShmServerSettings("other-jvm", Path.of(args[0]), 64 * 1024, 0, 1 << 20, 4,
				Set.of(), Duration.ofSeconds(5)), new ByteArrayMessageConverter(), (event) -> {
				}, IpcMetrics.NONE);
		server.addListener(new IpcMessageListener() {

			@Override
			public String describe() {
				return "hang";
			}

			@Override
			public void onMessage(Message<?> message, IpcReplyTarget replyTarget) {
				System.out.println("got " + new String((byte[]) message.getPayload(), StandardCharsets.UTF_8));
			}

		});
		server.start();
		System.out.println("ready");
		Thread.currentThread().join();
	}

}
