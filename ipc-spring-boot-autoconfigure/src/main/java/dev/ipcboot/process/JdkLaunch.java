package dev.ipcboot.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;

import org.jspecify.annotations.Nullable;

/**
 * Starts a child with {@link ProcessBuilder}: the fallback launcher where the native one
 * cannot work. Redirects, working directory and environment work as natively.
 */
final class JdkLaunch {

	private static final String NULL_DEVICE = (java.io.File.separatorChar == '\\') ? "NUL" : "/dev/null";

	private JdkLaunch() {
	}

	static SpawnedProcess start(ProcessSpec spec, ResolvedCommand resolved) {
		ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(resolved.command()));
		builder.command().set(0, resolved.program());
		builder.environment().clear();
		builder.environment().putAll(resolved.environment());
		Path directory = resolved.directory();
		if (directory != null) {
			builder.directory(directory.toFile());
		}
		builder.redirectInput(redirect(spec.stdin(), true));
		builder.redirectOutput(redirect(spec.stdout(), false));
		if (spec.output() == OutputMode.MERGED) {
			builder.redirectErrorStream(true);
		}
		else {
			builder.redirectError(redirect(spec.stderr(), false));
		}
		try {
			Process process = builder.start();
			return new JdkSpawnedProcess(process, spec.stdin().type() == Redirect.Type.PIPE,
					spec.stdout().type() == Redirect.Type.PIPE,
					spec.stderr().type() == Redirect.Type.PIPE && !builder.redirectErrorStream());
		}
		catch (IOException ex) {
			throw ProcessLauncher.failure(spec, "starting " + resolved.program() + " failed", reason(ex), ex);
		}
	}

	private static ProcessBuilder.Redirect redirect(Redirect redirect, boolean input) {
		@Nullable Path file = redirect.file();
		return switch (redirect.type()) {
			case PIPE -> ProcessBuilder.Redirect.PIPE;
			case NULL ->
				input ? ProcessBuilder.Redirect.from(Path.of(NULL_DEVICE).toFile()) : ProcessBuilder.Redirect.DISCARD;
			case FILE ->
				input ? ProcessBuilder.Redirect.from(file.toFile()) : ProcessBuilder.Redirect.to(file.toFile());
			case APPEND -> ProcessBuilder.Redirect.appendTo(file.toFile());
		};
	}

	private static String reason(IOException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return String.valueOf(cause.getMessage());
	}

}
