package dev.ipcboot.session.signalled;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import dev.ipcboot.session.SessionShutdownEvent;

/**
 * A small application that a test runs as a child JVM and stops with a signal. Its
 * listeners leave files in the directory given as {@code marker-dir}: {@code order} gets
 * one line when the shutdown listener ran and one when the context destroyed its beans.
 */
@SpringBootApplication
public class SignalledApplication implements DisposableBean {

	private final Path markerDir;

	SignalledApplication(@Value("${marker-dir}") Path markerDir) {
		this.markerDir = markerDir;
	}

	public static void main(String[] args) throws InterruptedException {
		SpringApplication.run(SignalledApplication.class, args);
		// like a server, keep running until a signal arrives
		new CountDownLatch(1).await();
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		System.out.println("CHILD READY");
	}

	@EventListener
	void save(SessionShutdownEvent event) throws IOException {
		append("saved " + event.reason() + " " + event.signal());
	}

	@EventListener
	void saveSlowly(SessionShutdownEvent event) throws IOException, InterruptedException {
		Files.writeString(this.markerDir.resolve("slow-started"), "");
		new CountDownLatch(1).await();
		Files.writeString(this.markerDir.resolve("slow-finished"), "");
	}

	@EventListener
	void failToSave(SessionShutdownEvent event) {
		throw new IllegalStateException("this listener fails on purpose");
	}

	@Override
	public void destroy() throws IOException {
		append("destroyed");
	}

	private synchronized void append(String line) throws IOException {
		Files.writeString(this.markerDir.resolve("order"), line + "\n", StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

}
