package dev.ipcboot.dbus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ipcboot.testsupport.Tools;

/**
 * The python3-dbus peer of {@code dbus/peer.py}: object {@code /dev/ipcboot/Peer} with
 * interface {@code dev.ipcboot.test.Peer}, optionally owning bus names.
 */
public final class PythonPeer implements AutoCloseable {

	static final String PATH = "/dev/ipcboot/Peer";

	static final String INTERFACE = "dev.ipcboot.test.Peer";

	private final Process process;

	private final String uniqueName;

	private PythonPeer(Process process, String uniqueName) {
		this.process = process;
		this.uniqueName = uniqueName;
	}

	public static PythonPeer start(String address, String... names) throws IOException, URISyntaxException {
		Tools.requirePythonModule("gi.repository.GLib", "python3-gi");
		String python = Tools.requirePythonModule("dbus.mainloop.glib", "python3-dbus");
		Path script = Path.of(PythonPeer.class.getResource("/dbus/peer.py").toURI());
		List<String> command = new ArrayList<>(List.of(python, script.toString(), address));
		command.addAll(List.of(names));
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		if (line == null || !line.startsWith("ready ")) {
			process.destroyForcibly();
			throw new IllegalStateException("The Python D-Bus peer did not start (see its errors above)");
		}
		return new PythonPeer(process, line.substring("ready ".length()).strip());
	}

	public String uniqueName() {
		return this.uniqueName;
	}

	public long pid() {
		return this.process.pid();
	}

	/** Call one of the peer's one-string methods through a template. */
	public void call(DBusTemplate template, String method, String argument) {
		template.call(this.uniqueName, PATH, INTERFACE, method, "s", argument);
	}

	/** The names on a bus, as busctl lists them. */
	public static List<String> busctlList(String address) throws IOException, InterruptedException {
		Commands.Result result = Commands.busctl(address, "list", "--no-legend");
		if (result.exitCode() != 0) {
			throw new AssertionError("busctl list failed: " + result.output());
		}
		return result.output().lines().map((line) -> line.split("\\s+")[0]).toList();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

}
