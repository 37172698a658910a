package dev.ipcboot;

/**
 * Thrown when configuration of the starter is invalid. It names the offending property
 * and the fix, so that the start-up failure analysis can tell the user exactly what to
 * change.
 */
public class IpcConfigurationException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * Create a new exception.
	 * @param property the property (or the annotated method) that is wrong, for example
	 * {@code ipc.servers.orders.port}
	 * @param problem what is wrong with it
	 * @param action how to fix it
	 */
	public IpcConfigurationException(String property, String problem, String action) {
		super(property + ": " + problem);
		this.property = property;
		this.action = action;
	}

	/**
	 * The property or element that is wrong.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * How to fix it.
	 * @return the action, one or more sentences
	 */
	public String getAction() {
		return this.action;
	}

}
