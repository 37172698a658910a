package dev.ipcboot.session;

/**
 * What a logind delay inhibitor lock holds back while the application saves its work.
 */
public enum InhibitKind {

	/** Power-off and reboot ({@code shutdown} in logind's terms). */
	SHUTDOWN("shutdown"),

	/** Suspend and hibernate ({@code sleep} in logind's terms). */
	SLEEP("sleep");

	private final String what;

	InhibitKind(String what) {
		this.what = what;
	}

	/**
	 * The name logind's {@code Inhibit} method takes in its {@code what} argument.
	 * @return {@code shutdown} or {@code sleep}
	 */
	public String what() {
		return this.what;
	}

}
