package dev.ipcboot.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.socket.IpcClientException;

/**
 * Talks to a desk through the {@code desk} client of {@code ipc.clients}: sends one line
 * at start-up and logs the reply. Off unless {@code desk.client.enabled=true}, for
 * example a second instance started with {@code --desk.client.enabled=true
 * --desk.client.message=status}.
 */
@Component
@ConditionalOnBooleanProperty("desk.client.enabled")
class DeskClient implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(DeskClient.class);

	private final IpcClient desk;

	private final String message;

	DeskClient(@Qualifier("desk") IpcClient desk, @Value("${desk.client.message:status}") String message) {
		this.desk = desk;
		this.message = message;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			String reply = this.desk.request(this.message, String.class);
			logger.info("Desk answered '" + this.message + "' with: " + reply);
		}
		catch (IpcClientException ex) {
			logger.warn("Desk did not answer '" + this.message + "': " + ex.getMessage());
		}
	}

}
