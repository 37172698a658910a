package dev.ipcboot.testsupport.shm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.ipcboot.semaphore.SemaphoreSettings;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.shm.SharedMemorySettings;

/**
 * The other process of cross-process tests: a plain JVM (no Spring context) that opens a
 * segment or a semaphore and obeys one command per line on stdin, answering one line per
 * command on stdout.
 *
 * <pre>
 * shm BACKEND MODE KEY SIZE      open a segment        -> OK created|attached
 * write OFFSET TEXT | read OFFSET LENGTH | lock | unlock | close
 * sem BACKEND MODE KEY INITIAL   open a semaphore      -> OK
 * acquire | try MILLIS | release N | value
 * </pre>
 */
public final class IpcPeer {

	private IpcPeer() {
	}

	public static void main(String[] args) throws Exception {
		// stdout carries the answers only: the library's log lines (for example
		// "Reclaimed
		// file ... left by dead pid", when another run left a file in /tmp) go to stderr
		PrintStream out = System.out;
		System.setOut(System.err);
		SharedMemoryFactory memories = new SharedMemoryFactory((event) -> {
		});
		SystemSemaphoreFactory semaphores = new SystemSemaphoreFactory();
		SharedMemory memory = null;
		SystemSemaphore semaphore = null;
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		out.println("READY");
		String line;
		while ((line = in.readLine()) != null) {
			String[] words = line.split(" ");
			try {
				String answer = "OK";
				switch (words[0]) {
					case "shm" -> {
						SharedMemorySettings settings = new SharedMemorySettings(words[3], Long.parseLong(words[4]),
								SharedMemorySettings.Mode.valueOf(words[2]), SharedMemorySettings.Access.READ_WRITE,
								0600, false, SharedMemorySettings.Backend.valueOf(words[1]));
						memory = memories.open(settings);
						answer = "OK " + memory.nativeKey();
					}
					case "write" -> memory.write(Long.parseLong(words[1]), words[2].getBytes(StandardCharsets.UTF_8));
					case "read" ->
						answer = "OK " + new String(memory.read(Long.parseLong(words[1]), Integer.parseInt(words[2])),
								StandardCharsets.UTF_8);
					case "lock" -> memory.lock();
					case "unlock" -> memory.unlock();
					case "close" -> memory.close();
					case "sem" -> semaphore = semaphores.open(new SemaphoreSettings(words[3],
							Integer.parseInt(words[4]), SemaphoreSettings.Mode.valueOf(words[2]), 0600, false,
							SemaphoreSettings.Backend.valueOf(words[1])));
					case "acquire" -> semaphore.acquire();
					case "try" -> answer = "OK " + semaphore.tryAcquire(Duration.ofMillis(Long.parseLong(words[1])));
					case "release" -> semaphore.release(Integer.parseInt(words[1]));
					case "value" -> answer = "OK " + semaphore.value();
					case "exit" -> {
						memories.close();
						semaphores.close();
						out.println("OK");
						return;
					}
					default -> answer = "ERROR unknown command " + words[0];
				}
				out.println(answer);
			}
			catch (RuntimeException ex) {
				out.println("ERROR " + ex);
			}
		}
	}

}
