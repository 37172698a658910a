package dev.ipcboot.dbus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ipcboot.testsupport.Tools;

/**
 * Runs the foreign D-Bus tools ({@code busctl}, {@code gdbus}, {@code dbus-send}) and
 * captures what they print.
 */
final class Commands {

	private Commands() {
	}

	record Result(int exitCode, String output) {
	}

	static Result run(String tool, String debianPackage, String... args) throws IOException, InterruptedException {
		return run(null, tool, debianPackage, args);
	}

	private static Result run(String sessionBus, String tool, String debianPackage, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Tools.require(tool, debianPackage).toString());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (sessionBus != null) {
			builder.environment().put("DBUS_SESSION_BUS_ADDRESS", sessionBus);
		}
		Process process = builder.start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(command + " did not finish");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	static Result busctl(String address, String... args) throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(List.of("--address=" + address));
		all.addAll(List.of(args));
		return run("busctl", "systemd", all.toArray(String[]::new));
	}

	static Result gdbus(String... args) throws IOException, InterruptedException {
		return run("gdbus", "libglib2.0-bin", args);
	}

	/**
	 * Run gdbus on a bus as its session bus: {@code gdbus emit --address} does not
	 * register on the bus (no Hello), so the bus would not route its signals.
	 */
	static Result gdbusEmit(String address, String... args) throws IOException, InterruptedException {
		List<String> all = new ArrayList<>(List.of("emit", "--session"));
		all.addAll(List.of(args));
		return run(address, "gdbus", "libglib2.0-bin", all.toArray(String[]::new));
	}

	static Result dbusSend(String... args) throws IOException, InterruptedException {
		return run("dbus-send", "dbus-bin", args);
	}

}
