package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Futex} on a word of memory mapped twice (as two processes map a connection's
 * memory): a wake through one mapping ends a wait through the other long before the
 * wait's own timeout, and a wait on a word that no longer holds the expected value does
 * not sleep. The waits' timeouts (a minute) are far beyond the checks' bounds (ten
 * seconds), so a lost wake-up fails the test instead of passing late.
 */
class FutexTests {

	private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

	@Test
	void aWakeThroughOneMappingEndsAWaitThroughTheOther() throws Exception {
		try (AnonymousMemory first = AnonymousMemory.create("futex-test", 4096);
				FileChannel second = FileChannel.open(Path.of("/proc/self/fd/" + first.fd()), StandardOpenOption.READ,
						StandardOpenOption.WRITE)) {
			ByteBuffer waiterView = first.buffer().order(ByteOrder.LITTLE_ENDIAN);
			ByteBuffer wakerView = second.map(FileChannel.MapMode.READ_WRITE, 0, 4096).order(ByteOrder.LITTLE_ENDIAN);
			waiterView.putInt(64, 1);
			Thread waiter = new Thread(() -> {
				Futex futex = new Futex("futex-test");
				while (waiterView.getInt(64) == 1) {
					futex.await(address(waiterView) + 64, 1, MINUTE);
				}
			}, "futex-test-waiter");
			waiter.start();
			// asleep in the kernel (state S), so that the wake, not the look at the word,
			// ends it
			await().atMost(Duration.ofSeconds(10)).until(() -> sleeping("futex-test-wait"));
			assertThat(wakerView.getInt(64)).as("the second mapping sees the first one's word").isEqualTo(1);
			wakerView.putInt(64, 0);
			Futex.wake(address(wakerView) + 64, "futex-test");
			await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isAlive());
		}
	}

	@Test
	void aWaitOnAWordThatChangedDoesNotSleep() throws Exception {
		try (AnonymousMemory memory = AnonymousMemory.create("futex-test", 4096)) {
			ByteBuffer view = memory.buffer().order(ByteOrder.LITTLE_ENDIAN);
			view.putInt(128, 0);
			Thread waiter = new Thread(() -> new Futex("futex-test").await(address(view) + 128, 1, MINUTE),
					"futex-test-waiter");
			waiter.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isAlive());
		}
	}

	private static long address(ByteBuffer buffer) {
		return Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
	}

	/** Whether a thread of this process with that (kernel, 15-character) name sleeps. */
	private static boolean sleeping(String comm) throws IOException {
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
						String stat = Files.readString(task.resolve("stat"));
						return stat.substring(stat.lastIndexOf(')') + 2).startsWith("S");
					}
				}
				catch (IOException ex) {
					// the thread ended
				}
			}
		}
		return false;
	}

}
