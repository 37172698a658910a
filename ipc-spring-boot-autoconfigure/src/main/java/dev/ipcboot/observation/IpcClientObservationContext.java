package dev.ipcboot.observation;

import io.micrometer.observation.Observation;

/**
 * Context of the observation of one client request.
 */
public class IpcClientObservationContext extends Observation.Context {

	private final String client;

	private final String transport;

	/**
	 * Create a context.
	 * @param client the client name
	 * @param transport {@code local} or {@code tcp}
	 */
	public IpcClientObservationContext(String client, String transport) {
		this.client = client;
		this.transport = transport;
	}

	/**
	 * The client that makes the request.
	 * @return the client name
	 */
	public String getClient() {
		return this.client;
	}

	/**
	 * The transport of the client.
	 * @return {@code local} or {@code tcp}
	 */
	public String getTransport() {
		return this.transport;
	}

}
