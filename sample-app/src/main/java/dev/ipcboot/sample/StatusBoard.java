package dev.ipcboot.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.shm.SharedMemory;

/**
 * A status board in shared memory that every running instance of the order desk updates
 * under the segment's lock: bytes 0-7 count the updates (little-endian), the rest holds
 * the last update as UTF-8 text. Start two instances (the second with
 * {@code --spring.profiles.active=second}) and watch it with {@code ls -l /dev/shm}, or
 * read it from Python (see the README). The segment is opened in {@code create-or-attach}
 * mode, so it stays until the last instance stops. Updates are logged at DEBUG. A system
 * semaphore limits how many instances write a report at the same time.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class StatusBoard {

	private static final Log logger = LogFactory.getLog(StatusBoard.class);

	private static final int TEXT_OFFSET = 8;

	private final SharedMemory board;

	private final SystemSemaphore reportSlots;

	StatusBoard(@Qualifier("status-board") SharedMemory board, @Qualifier("report-slots") SystemSemaphore reportSlots) {
		this.board = board;
		this.reportSlots = reportSlots;
	}

	@Scheduled(fixedDelay = 5000, initialDelay = 1000)
	void update() {
		if (!this.reportSlots.tryAcquire(Duration.ofSeconds(1))) {
			logger.debug("All report slots are busy; skipping this update");
			return;
		}
		try {
			String status = "pid " + ProcessHandle.current().pid() + " alive at " + Instant.now();
			long updates = this.board.withLock(() -> {
				ByteBuffer buffer = this.board.buffer().order(ByteOrder.LITTLE_ENDIAN);
				long count = buffer.getLong(0) + 1;
				buffer.putLong(0, count);
				byte[] text = new byte[(int) this.board.size() - TEXT_OFFSET];
				byte[] utf8 = status.getBytes(StandardCharsets.UTF_8);
				System.arraycopy(utf8, 0, text, 0, Math.min(utf8.length, text.length));
				buffer.put(TEXT_OFFSET, text);
				return count;
			});
			logger.debug("Status board " + this.board.nativeKey() + ": update " + updates + " (" + status + ")");
		}
		finally {
			this.reportSlots.release();
		}
	}

}
