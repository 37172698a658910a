package dev.ipcboot.process;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes each output line to the application log under logger {@code ipc.process.<name>}:
 * standard output at INFO, standard error at WARN.
 */
final class ForwardedOutput implements LineSink {

	private final Log log;

	ForwardedOutput(String processName) {
		this.log = LogFactory.getLog("ipc.process." + processName);
	}

	@Override
	public void onLine(ChildProcess process, String stream, byte[] line) {
		if ("stderr".equals(stream)) {
			if (this.log.isWarnEnabled()) {
				this.log.warn(new String(line, StandardCharsets.UTF_8));
			}
		}
		else if (this.log.isInfoEnabled()) {
			this.log.info(new String(line, StandardCharsets.UTF_8));
		}
	}

}
