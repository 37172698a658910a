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
		List<String> command = new ArrayList<>();
		command.add(Tools.require(tool, debianPackage).toString());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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

	static Result dbusSend(String... args) throws IOException, InterruptedException {
		return run("dbus-send", "dbus-bin", args);
	}

}
