package dev.ipcboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The engine shared by every socket server and subscribing client ({@code ipc.socket}).
 */
@ConfigurationProperties("ipc.socket")
public class SocketEngineProperties {

	/**
	 * Most listener calls of socket servers and subscribing clients running at once, on
	 * platform threads named ipc-worker-N; with spring.threads.virtual.enabled on Java 21
	 * or later, listeners run on virtual threads instead.
	 */
	private int workerThreads = 32;

	public int getWorkerThreads() {
		return this.workerThreads;
	}

	public void setWorkerThreads(int workerThreads) {
		this.workerThreads = workerThreads;
	}

}
