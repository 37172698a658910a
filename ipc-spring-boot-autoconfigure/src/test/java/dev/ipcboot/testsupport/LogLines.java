package dev.ipcboot.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.test.system.CapturedOutput;

/**
 * The log events of captured output that name one test's own server, listener, key or
 * peer. The output capture takes everything the JVM prints while a test runs, including
 * what threads of earlier tests, Netty's leak detector or a bus daemon's reader log
 * meanwhile: an assertion on the whole output ("exactly one WARN", "no stack trace")
 * fails or passes because of them. Tests give what they create a name no other test uses
 * and assert only on the events that contain it.
 * <p>
 * An event starts with a line that starts with a digit (the time stamp of both Boot's
 * layout and logback's default one); the lines after it that do not are its stack trace,
 * if they are frames ({@code at ...}) or causes.
 */
public final class LogLines {

	private final List<List<String>> events;

	private LogLines(List<List<String>> events) {
		this.events = events;
	}

	/**
	 * The events captured so far.
	 * @param output the test's captured output
	 * @return its events
	 */
	public static LogLines of(CapturedOutput output) {
		List<List<String>> events = new ArrayList<>();
		List<String> current = null;
		for (String line : output.getAll().lines().toList()) {
			if (current == null || (!line.isEmpty() && Character.isDigit(line.charAt(0)))) {
				current = new ArrayList<>();
				events.add(current);
			}
			current.add(line);
		}
		return new LogLines(events);
	}

	/**
	 * The first lines of the events whose first line contains every fragment.
	 * @param fragments for example the test's unique server name in quotes
	 * @return the lines, in the order they were logged
	 */
	public List<String> mentioning(String... fragments) {
		return this.events.stream()
			.map((event) -> event.get(0))
			.filter((line) -> containsAll(line, fragments))
			.toList();
	}

	/**
	 * The first lines of the WARN and ERROR events whose first line contains every
	 * fragment.
	 * @param fragments for example the test's unique server name in quotes
	 * @return the lines, in the order they were logged
	 */
	public List<String> warningsMentioning(String... fragments) {
		return mentioning(fragments).stream()
			.filter((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
			.toList();
	}

	/**
	 * The stack-trace lines (frames and causes) logged with the events whose first line
	 * contains every fragment.
	 * @param fragments for example the test's unique server name in quotes
	 * @return the lines, empty if none of those events has a stack trace
	 */
	public List<String> stackTracesMentioning(String... fragments) {
		return this.events.stream()
			.filter((event) -> containsAll(event.get(0), fragments))
			.flatMap((event) -> event.stream().skip(1))
			.filter((line) -> line.stripLeading().startsWith("at ") || line.startsWith("Caused by: "))
			.toList();
	}

	/**
	 * The whole text (first line and stack trace) of the events that contain every
	 * fragment anywhere, for a failure whose first line need not name the test's server
	 * but whose thread or stack frames do.
	 * @param fragments for example an exception's class name
	 * @return the events, each as lines joined by {@code \n}
	 */
	public List<String> eventsContaining(String... fragments) {
		return this.events.stream()
			.map((event) -> String.join("\n", event))
			.filter((event) -> containsAll(event, fragments))
			.toList();
	}

	private static boolean containsAll(String line, String[] fragments) {
		return Arrays.stream(fragments).allMatch(line::contains);
	}

}
