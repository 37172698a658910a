package dev.ipcboot.socket.internal;

import java.nio.charset.StandardCharsets;

import dev.ipcboot.listener.IpcListener;

/**
 * Replies to every frame with {@code echo:} and the frame; {@code boom} makes it throw.
 * Listens to the server {@code echo}, or to the one named by {@code test.echo.server}.
 */
class EchoListener {

	@IpcListener("${test.echo.server:echo}")
	byte[] echo(byte[] payload) {
		String text = new String(payload, StandardCharsets.UTF_8);
		if (text.equals("boom")) {
			throw new IllegalStateException("listener asked to fail");
		}
		return ("echo:" + text).getBytes(StandardCharsets.UTF_8);
	}

}
