package dev.ipcboot.sample;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import org.springframework.boot.SpringBootVersion;

import dev.ipcboot.sample.SampleSupport.Block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start, as a newcomer follows it: the blocks marked {@code file=...}
 * are written into a fresh project, the Java files compiled against the starter (its
 * class path without the sample's web server), the application started in its own JVM,
 * and the README's socat line answered as the README says, over the local socket and then
 * over TCP after the one edit the README describes. Only the socket path and the port are
 * moved to free ones.
 */
class ReadmeQuickStartTests {

	private static final String README_SOCKET = "/tmp/orders.sock";

	private static final String README_PORT = "7000";

	/** The line a TCP socket server logs once it listens, with the port it bound. */
	private static final Pattern LISTENING = Pattern
		.compile("Socket server '[^']+' \\(tcp.* listening on \\S*:(\\d+)\\s*$", Pattern.MULTILINE);

	@TempDir
	Path project;

	private List<Block> blocks;

	@BeforeEach
	void writeTheProjectFromTheReadme() throws IOException {
		this.blocks = SampleSupport.readmeBlocks();
		List<Block> files = this.blocks.stream().filter((block) -> block.info().startsWith("file=")).toList();
		assertThat(files).extracting(Block::info)
			.contains("file=pom.xml", "file=src/main/resources/application.yml",
					"file=src/main/java/com/example/orders/OrdersApplication.java",
					"file=src/main/java/com/example/orders/Orders.java");
		for (Block block : files) {
			Path file = this.project.resolve(block.info().substring("file=".length()));
			Files.createDirectories(file.getParent());
			Files.writeString(file, block.text(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void pomUsesTheBootVersionAndStarterVersionThatThisBuildMakes() throws Exception {
		Document readmePom = xml(this.project.resolve("pom.xml"));
		Document ourPom = xml(SampleSupport.repositoryRoot().resolve("pom.xml"));
		assertThat(text(readmePom, "/project/parent/version")).isEqualTo(SpringBootVersion.getVersion())
			.isEqualTo(text(ourPom, "/project/parent/version"));
		assertThat(text(readmePom, "/project/dependencies/dependency[artifactId='ipc-spring-boot-starter']/version"))
			.isEqualTo(text(ourPom, "/project/version"));
		assertThat(text(readmePom, "/project/dependencies/dependency[artifactId='ipc-spring-boot-starter']/groupId"))
			.isEqualTo(text(ourPom, "/project/groupId"));
	}

	@Test
	void quickStartAnswersTheReadmesSocatLineOverTheLocalSocket() throws Exception {
		Path classes = compile();
		Path socket = this.project.resolve("orders.sock");
		String yaml = Files.readString(this.project.resolve("src/main/resources/application.yml"))
			.replace(README_SOCKET, socket.toString());
		Files.writeString(classes.resolve("application.yml"), yaml);
		Process app = start(classes);
		try {
			awaitReady(app, () -> Files.exists(socket));
			String[] exchange = readmeCommand("UNIX-CONNECT:" + README_SOCKET);
			String reply = SampleSupport.sh(exchange[0].replace(README_SOCKET, socket.toString()));
			int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			assertThat(reply.trim()).isEqualTo(exchange[1].replace("\"customerUid\":1000", "\"customerUid\":" + uid));
		}
		finally {
			stop(app);
		}
		assertThat(socket).as("the socket file goes with the application").doesNotExist();
	}

	@Test
	void quickStartAnswersTheSameOverTcpAfterTheReadmesOneEdit() throws Exception {
		Path classes = compile();
		String yaml = Files.readString(this.project.resolve("src/main/resources/application.yml"));
		assertThat(yaml).contains("transport: local", "path: " + README_SOCKET);
		// the edit the README describes, with port 0 for 7000: the application binds a
		// port
		// the kernel picks and names it in its log, so no other process can take the port
		// between the test choosing it and the application binding it, nor answer in its
		// place
		yaml = yaml.replace("transport: local", "transport: tcp").replace("path: " + README_SOCKET, "port: 0");
		Files.writeString(classes.resolve("application.yml"), yaml);
		Process app = start(classes);
		try {
			AtomicInteger bound = new AtomicInteger();
			awaitReady(app, () -> {
				Matcher listening = LISTENING.matcher(appLog());
				if (listening.find()) {
					bound.set(Integer.parseInt(listening.group(1)));
				}
				return bound.get() != 0;
			});
			int port = bound.get();
			assertThat(accepts(port)).as("the application accepts on the port it named").isTrue();
			String[] exchange = readmeCommand("TCP:127.0.0.1:" + README_PORT);
			String reply = SampleSupport.sh(exchange[0].replace(":" + README_PORT, ":" + port));
			assertThat(reply.trim()).isEqualTo(exchange[1]).contains("\"status\":\"accepted\"");
		}
		finally {
			stop(app);
		}
	}

	/** The README's command that contains {@code target}, and the reply it promises. */
	private String[] readmeCommand(String target) {
		for (Block block : this.blocks) {
			if (block.language().equals("sh") && block.text().contains(target)) {
				List<String[]> commands = SampleSupport.commandsWithExpectations(block.text());
				assertThat(commands).hasSize(1);
				assertThat(commands.get(0)[1]).as("the reply the README shows").isNotNull();
				return commands.get(0);
			}
		}
		throw new AssertionError("The README has no command talking to " + target);
	}

	private Path compile() throws IOException {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("a JDK's compiler").isNotNull();
		Path classes = Files.createDirectories(this.project.resolve("target/classes"));
		List<Path> sources = new ArrayList<>();
		try (var walk = Files.walk(this.project.resolve("src/main/java"))) {
			walk.filter((file) -> file.toString().endsWith(".java")).forEach(sources::add);
		}
		try (StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("-classpath", starterClassPath(), "-d", classes.toString(), "--release",
					"17", "-parameters", "-Xlint:none");
			java.io.StringWriter errors = new java.io.StringWriter();
			boolean ok = compiler
				.getTask(errors, files, null, options, null, files.getJavaFileObjectsFromPaths(sources))
				.call();
			assertThat(ok).as("the README's Java compiles against the starter:\n" + errors).isTrue();
		}
		return classes;
	}

	/** The starter's class path: the test class path without the sample's web stack. */
	private static String starterClassPath() {
		return SampleSupport.classPath((entry) -> !entry.contains("tomcat") && !entry.contains("spring-webmvc")
				&& !entry.contains("spring-boot-webmvc") && !entry.contains("spring-boot-actuator")
				&& !entry.contains("spring-boot-starter-web"));
	}

	private Process start(Path classes) throws IOException {
		Path log = this.project.resolve("app.log");
		return new ProcessBuilder(SampleSupport.javaCommand(), "-cp",
				classes + java.io.File.pathSeparator + starterClassPath(), "com.example.orders.OrdersApplication")
			.directory(this.project.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

	private void awaitReady(Process app, BooleanSupplier ready) {
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			if (!app.isAlive()) {
				throw new AssertionError("The quick-start application stopped (exit " + app.exitValue() + "):\n"
						+ Files.readString(this.project.resolve("app.log")));
			}
			return ready.getAsBoolean();
		});
	}

	private void stop(Process app) throws Exception {
		app.destroy();
		if (!app.waitFor(30, TimeUnit.SECONDS)) {
			app.destroyForcibly();
			throw new AssertionError("The quick-start application did not stop on SIGTERM:\n"
					+ Files.readString(this.project.resolve("app.log")));
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String appLog() {
		try {
			return Files.readString(this.project.resolve("app.log"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Document xml(Path file) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new InputSource(new StringReader(Files.readString(file))));
	}

	private static String text(Document document, String path) throws Exception {
		return javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate(path, document).trim();
	}

}
