package dev.ipcboot.integration;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java blocks of the listener and Spring Integration pages compile as shown, imports
 * included, against the starter and the libraries they name.
 */
class DocsExamplesCompileTests {

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

	private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

	@TempDir
	Path sources;

	@TempDir
	Path classes;

	@ParameterizedTest
	@ValueSource(strings = { "integration.md", "listeners.md" })
	void javaBlocksOfThePageCompile(String page) throws IOException {
		String text = Files.readString(Path.of("..", "docs", page));
		List<String> files = new ArrayList<>();
		Matcher block = JAVA_BLOCK.matcher(text);
		int index = 0;
		while (block.find()) {
			String code = block.group(1);
			Matcher pkg = PACKAGE.matcher(code);
			assertThat(pkg.find()).as("block %d of %s declares its package", index, page).isTrue();
			Path dir = this.sources.resolve(pkg.group(1).replace('.', File.separatorChar));
			Files.createDirectories(dir);
			// package-private classes only, so any file name will do
			Path file = dir.resolve("Example" + index++ + ".java");
			Files.writeString(file, code);
			files.add(file.toString());
		}
		assertThat(files).as("java blocks in %s", page).isNotEmpty();
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("the JDK's compiler (javac), which the test runs with").isNotNull();
		List<String> arguments = new ArrayList<>(
				List.of("-proc:none", "-d", this.classes.toString(), "-classpath", classPath()));
		arguments.addAll(files);
		StringWriter diagnostics = new StringWriter();
		int result = compiler.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
			@Override
			public void write(int b) {
				diagnostics.write(b);
			}
		}), arguments.toArray(String[]::new));
		assertThat(result).as(diagnostics.toString()).isZero();
	}

	/**
	 * Surefire may start the tests from a manifest-only jar; its class path is then here.
	 */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

}
